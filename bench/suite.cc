#include "bench/suite.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bench/counting_allocator.h"
#include "bench/paired.h"
#include "bench/workload.h"
#include "bench/worlds.h"
#include "benchmark/benchmark.h"
#include "idemcheck/ops.h"
#include "idemcheck/registry.h"
#include "idemcheck/store.h"

namespace idemcheck::bench {
namespace {

int failures = 0;

void Fail(benchmark::State& state, absl::string_view message) {
  ++failures;
  state.SkipWithError(std::string(message).c_str());
}

std::string Got(const absl::Status& status) {
  return absl::StrCat(CodeName(CodeOf(status)), " (", status.message(), ")");
}
std::string Got(const absl::StatusOr<StoreId>& id) {
  return id.ok() ? absl::StrCat("Ok with ID ", *id) : Got(id.status());
}
template <typename T>
std::string Got(const absl::StatusOr<T>& result) {
  return result.ok() ? "Ok" : Got(result.status());
}

template <typename Result>
void Unexpected(benchmark::State& state, absl::string_view call, absl::string_view expected,
                const Result& got) {
  Fail(state, absl::StrCat(call, ": expected ", expected, ", got ", Got(got)));
}

// Iterates `calls` cyclically: the probe order of the world.
template <typename Call>
class Cycle {
 public:
  explicit Cycle(const std::vector<Call>& calls) : calls_(calls) {}
  const Call& Next() {
    const Call& call = calls_[i_];
    if (++i_ == calls_.size()) i_ = 0;
    return call;
  }

 private:
  const std::vector<Call>& calls_;
  size_t i_ = 0;
};

PairedOptions paired_options;

// The floor's step: a bare find of the next probe key, hit or miss, checked.
class FloorStep {
 public:
  FloorStep(benchmark::State& state, const FloorWorld& floor, bool hit)
      : state_(state), floor_(floor), hit_(hit) {}

  bool operator()() {
    const bool ok = hit_ ? Hit() : floor_.table.find(floor_.misses[i_]) == floor_.table.end();
    if (++i_ == floor_.n) i_ = 0;
    if (!ok) {
      Fail(state_, hit_ ? "floor: a stored key was not found" : "floor: an absent key was found");
    }
    return ok;
  }

 private:
  bool Hit() const {
    auto it = floor_.table.find(floor_.hits[i_]);
    return it != floor_.table.end() && it->second == floor_.hit_values[i_];
  }

  benchmark::State& state_;
  const FloorWorld& floor_;
  const bool hit_;
  size_t i_ = 0;
};

const auto kNoPreparation = [](size_t) { return Prepared::kReady; };

// One measurement per repetition: the store's median ns per operation is the row's time, the
// floor's and the ratio are counters.
template <typename StoreStep, typename Prepare>
void Measure(benchmark::State& state, StoreStep& store, FloorStep& floor, Prepare& prepare,
             const PairedOptions& options = paired_options) {
  for (auto _ : state) {
    const std::optional<PairedResult> result = MeasurePaired(store, floor, prepare, options);
    if (!result.has_value()) return;  // the failing step has reported why
    state.SetIterationTime(result->store_ns * 1e-9);
    state.counters["floor_ns"] = result->floor_ns;
    state.counters["ratio"] = result->ratio;
    state.counters["rounds"] = static_cast<double>(result->rounds);
    state.counters["slice"] = static_cast<double>(result->slice);
  }
}

// ---- Operations ----------------------------------------------------------------------------

void MemoryReplay(benchmark::State& state, const std::string& store, size_t n, KeyKind kind) {
  absl::StatusOr<MemoryWorld*> world = Worlds::Memory(store, n, kind);
  if (!world.ok()) return Fail(state, world.status().message());
  Store& s = *(*world)->store;
  Cycle calls((*world)->replays);
  auto step = [&] {
    const MemoryCall& c = calls.Next();
    absl::StatusOr<StoreId> id = s.CreateMemory(c.caller, c.capsule, *c.payload, c.key);
    if (id.ok() && *id == c.memory) return true;
    Unexpected(state, "CreateMemory replay", absl::StrCat("Ok with ID ", c.memory, " (M4)"), id);
    return false;
  };
  FloorStep floor(state, Worlds::Floor(n, kind), /*hit=*/true);
  Measure(state, step, floor, kNoPreparation);
}

void MemoryConflict(benchmark::State& state, const std::string& store, size_t n) {
  absl::StatusOr<MemoryWorld*> world = Worlds::Memory(store, n, KeyKind::kUuid);
  if (!world.ok()) return Fail(state, world.status().message());
  Store& s = *(*world)->store;
  const MemoryPayload& other = ConflictingPayload();
  Cycle calls((*world)->replays);
  auto step = [&] {
    const MemoryCall& c = calls.Next();
    absl::StatusOr<StoreId> id = s.CreateMemory(c.caller, c.capsule, other, c.key);
    if (CodeOf(id.status()) == Code::kConflict) return true;
    Unexpected(state, "CreateMemory with a reused key", "Conflict (M5)", id);
    return false;
  };
  FloorStep floor(state, Worlds::Floor(n, KeyKind::kUuid), /*hit=*/true);
  Measure(state, step, floor, kNoPreparation);
}

void MemoryRead(benchmark::State& state, const std::string& store, size_t n) {
  absl::StatusOr<MemoryWorld*> world = Worlds::Memory(store, n, KeyKind::kUuid);
  if (!world.ok()) return Fail(state, world.status().message());
  Store& s = *(*world)->store;
  Cycle calls((*world)->replays);
  auto step = [&] {
    const MemoryCall& c = calls.Next();
    absl::StatusOr<MemoryPayload> payload = s.GetMemory(c.caller, c.capsule, c.memory);
    if (payload.ok()) return true;
    Unexpected(state, "GetMemory", "Ok (R1)", payload);
    return false;
  };
  FloorStep floor(state, Worlds::Floor(n, KeyKind::kUuid), /*hit=*/true);
  Measure(state, step, floor, kNoPreparation);
}

// New keys into a world of n records, growing by at most max(n / 10, 1000) (MemoryWorld::fresh)
// before it is rebuilt between rounds, untimed; the round after a rebuild only warms up.
void MemoryNewKey(benchmark::State& state, const std::string& store, size_t n) {
  absl::StatusOr<MemoryWorld*> world = Worlds::Memory(store, n, KeyKind::kUuid);
  if (!world.ok()) return Fail(state, world.status().message());
  MemoryWorld* w = *world;
  auto prepare = [&](size_t ops) {
    if (w->added + ops <= w->fresh.size()) return Prepared::kReady;
    absl::StatusOr<MemoryWorld*> rebuilt = Worlds::Memory(store, n, KeyKind::kUuid);
    if (!rebuilt.ok()) {
      Fail(state, rebuilt.status().message());
      return Prepared::kFailed;
    }
    w = *rebuilt;
    return Prepared::kRebuilt;
  };
  auto step = [&] {
    const MemoryCall& c = w->fresh[w->added];
    absl::StatusOr<StoreId> id = w->store->CreateMemory(c.caller, c.capsule, *c.payload, c.key);
    if (!id.ok()) {
      Unexpected(state, "CreateMemory with a new key", "Ok (M3)", id);
      return false;
    }
    ++w->added;
    return true;
  };
  PairedOptions options = paired_options;
  // Several rounds per build, so that warming up after a rebuild is the exception.
  options.max_slice = std::min(options.max_slice, std::max<size_t>(w->fresh.size() / 4, 1));
  FloorStep floor(state, Worlds::Floor(n, KeyKind::kUuid), /*hit=*/false);
  Measure(state, step, floor, prepare, options);
}

void MemoryFootprint(benchmark::State& state, const std::string& store, size_t n) {
  absl::StatusOr<MemoryWorld*> world = Worlds::Memory(store, n, KeyKind::kUuid);
  if (!world.ok()) return Fail(state, world.status().message());
  absl::StatusOr<int64_t> keyless = KeylessMemoryBytes(store, n);
  if (!keyless.ok()) return Fail(state, keyless.status().message());
  for (auto _ : state) {
  }
  state.counters["bytes_per_memory"] = static_cast<double>(*keyless) / n;
  state.counters["bytes_per_record"] = static_cast<double>((*world)->build_bytes - *keyless) / n;
}

void GalleryReplay(benchmark::State& state, const std::string& store, size_t n) {
  absl::StatusOr<GalleryWorld*> world = Worlds::Gallery(store, n);
  if (!world.ok()) return Fail(state, world.status().message());
  Store& s = *(*world)->store;
  Cycle calls((*world)->replays);
  auto step = [&] {
    const GalleryCall& c = calls.Next();
    absl::Status created = s.CreateGallery(c.caller, c.capsule, c.id, *c.payload);
    if (created.ok()) return true;
    Unexpected(state, "CreateGallery replay", "Ok (F3)", created);
    return false;
  };
  FloorStep floor(state, Worlds::Floor(n, KeyKind::kUuid), /*hit=*/true);
  Measure(state, step, floor, kNoPreparation);
}

void GalleryAbsent(benchmark::State& state, const std::string& store, size_t n) {
  absl::StatusOr<GalleryWorld*> world = Worlds::Gallery(store, n);
  if (!world.ok()) return Fail(state, world.status().message());
  Store& s = *(*world)->store;
  Cycle calls((*world)->absent);
  auto step = [&] {
    const GalleryCall& c = calls.Next();
    absl::StatusOr<GalleryPayload> payload = s.GetGallery(c.caller, c.capsule, c.id);
    if (CodeOf(payload.status()) == Code::kNotFound) return true;
    Unexpected(state, "GetGallery of an unknown ID", "NotFound (R1)", payload);
    return false;
  };
  FloorStep floor(state, Worlds::Floor(n, KeyKind::kUuid), /*hit=*/false);
  Measure(state, step, floor, kNoPreparation);
}

void UploadReplay(benchmark::State& state, const std::string& store, size_t n) {
  absl::StatusOr<UploadWorld*> world = Worlds::Upload(store, n);
  if (!world.ok()) return Fail(state, world.status().message());
  Store& s = *(*world)->store;
  Cycle calls((*world)->replays);
  auto step = [&] {
    const UploadCall& c = calls.Next();
    absl::StatusOr<StoreId> session = s.BeginUpload(c.caller, c.capsule, 1, c.key);
    if (session.ok() && *session == c.session) return true;
    Unexpected(state, "BeginUpload replay", absl::StrCat("Ok with ID ", c.session, " (U1)"),
               session);
    return false;
  };
  FloorStep floor(state, Worlds::Floor(n, KeyKind::kUuid), /*hit=*/true);
  Measure(state, step, floor, kNoPreparation);
}

// ---- Footprint of the floor ----------------------------------------------------------------

// A bare table of the n stored UUID keys, grown by insertion: what "just a hash map" costs.
void FloorFootprint(benchmark::State& state, size_t n) {
  std::vector<std::string> keys;
  keys.reserve(n);
  for (uint64_t j = 0; j < n; ++j) keys.push_back(UuidText(Stream::kStored, j));
  int64_t bytes = 0;
  {
    absl::flat_hash_map<std::string, uint64_t> table;
    const HeapGrowth growth;
    for (uint64_t j = 0; j < n; ++j) table.emplace(keys[j], j);
    bytes = growth.bytes();
  }
  for (auto _ : state) {
  }
  state.counters["bytes_per_record"] = static_cast<double>(bytes) / n;
}

// ---- Registration --------------------------------------------------------------------------

using StoreFn = void (*)(benchmark::State&, const std::string&, size_t);

struct Operation {
  absl::string_view name;
  StoreFn run;
};

// In the order they run: operations that share a world are adjacent, and the one that adds
// records to the UUID memory world comes after the others that use it. The footprint is
// registered separately, right after memory_replay.
const Operation kOperations[] = {
    {"memory_replay", [](benchmark::State& s, const std::string& store,
                         size_t n) { MemoryReplay(s, store, n, KeyKind::kUuid); }},
    {"memory_conflict", MemoryConflict},
    {"memory_read", MemoryRead},
    {"memory_new_key", MemoryNewKey},
    {"memory_replay_short", [](benchmark::State& s, const std::string& store,
                               size_t n) { MemoryReplay(s, store, n, KeyKind::kShort); }},
    {"gallery_replay", GalleryReplay},
    {"gallery_absent", GalleryAbsent},
    {"upload_replay", UploadReplay},
};

bool IsReference(const std::string& store) {
  const StoreInfo* info = Registry::Global().Find(store);
  return info != nullptr && info->kind == StoreKind::kReference;
}

benchmark::internal::Benchmark* Register(absl::string_view op, absl::string_view subject, size_t n,
                                         std::function<void(benchmark::State&)> run) {
  return benchmark::RegisterBenchmark(absl::StrCat(op, "/", subject, "/", n).c_str(),
                                      std::move(run))
      ->Unit(benchmark::kNanosecond)
      ->Iterations(1);
}

}  // namespace

void RegisterSuite(const SuiteOptions& options) {
  paired_options.seconds = options.measure_seconds;
  paired_options.smoke = options.smoke;
  for (size_t n : options.sizes) {
    std::vector<std::string> stores;
    for (const std::string& store : options.stores) {
      if (!IsReference(store) || n <= options.reference_max_size) stores.push_back(store);
    }
    for (const Operation& op : kOperations) {
      for (const std::string& store : stores) {
        const StoreFn run = op.run;
        auto* b =
            Register(op.name, store, n, [run, store, n](benchmark::State& s) { run(s, store, n); });
        b->UseManualTime();
        if (options.smoke) b->Repetitions(1);
        if (op.name == "memory_replay") {
          // The footprint reuses the world memory_replay built, before memory_new_key grows it.
          Register("memory_footprint", store, n, [store, n](benchmark::State& s) {
            MemoryFootprint(s, store, n);
          })->Repetitions(1);
        }
      }
    }
    Register("memory_footprint", "floor", n, [n](benchmark::State& s) {
      FloorFootprint(s, n);
    })->Repetitions(1);
  }
}

int SuiteFailures() { return failures; }

}  // namespace idemcheck::bench
