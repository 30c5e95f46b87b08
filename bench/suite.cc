#include "bench/suite.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bench/counting_allocator.h"
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

// ---- Stores --------------------------------------------------------------------------------

void MemoryReplay(benchmark::State& state, const std::string& store, size_t n, KeyKind kind) {
  absl::StatusOr<MemoryWorld*> world = Worlds::Memory(store, n, kind);
  if (!world.ok()) return Fail(state, world.status().message());
  Store& s = *(*world)->store;
  Cycle calls((*world)->replays);
  for (auto _ : state) {
    const MemoryCall& c = calls.Next();
    absl::StatusOr<StoreId> id = s.CreateMemory(c.caller, c.capsule, *c.payload, c.key);
    if (!id.ok() || *id != c.memory) {
      Unexpected(state, "CreateMemory replay", absl::StrCat("Ok with ID ", c.memory, " (M4)"), id);
      break;
    }
  }
}

void MemoryConflict(benchmark::State& state, const std::string& store, size_t n) {
  absl::StatusOr<MemoryWorld*> world = Worlds::Memory(store, n, KeyKind::kUuid);
  if (!world.ok()) return Fail(state, world.status().message());
  Store& s = *(*world)->store;
  const MemoryPayload& other = ConflictingPayload();
  Cycle calls((*world)->replays);
  for (auto _ : state) {
    const MemoryCall& c = calls.Next();
    absl::StatusOr<StoreId> id = s.CreateMemory(c.caller, c.capsule, other, c.key);
    if (CodeOf(id.status()) != Code::kConflict) {
      Unexpected(state, "CreateMemory with a reused key", "Conflict (M5)", id);
      break;
    }
  }
}

void MemoryRead(benchmark::State& state, const std::string& store, size_t n) {
  absl::StatusOr<MemoryWorld*> world = Worlds::Memory(store, n, KeyKind::kUuid);
  if (!world.ok()) return Fail(state, world.status().message());
  Store& s = *(*world)->store;
  Cycle calls((*world)->replays);
  for (auto _ : state) {
    const MemoryCall& c = calls.Next();
    absl::StatusOr<MemoryPayload> payload = s.GetMemory(c.caller, c.capsule, c.memory);
    if (!payload.ok()) {
      Unexpected(state, "GetMemory", "Ok (R1)", payload);
      break;
    }
  }
}

// New keys into a world of n to 1.1 n records: after n / 10 creates the world is rebuilt,
// untimed. The reference creates at most 1,000 (each scans every record).
void MemoryNewKey(benchmark::State& state, const std::string& store, size_t n) {
  absl::StatusOr<MemoryWorld*> world = Worlds::Memory(store, n, KeyKind::kUuid);
  if (!world.ok()) return Fail(state, world.status().message());
  for (auto _ : state) {
    if ((*world)->added == (*world)->fresh.size()) {
      state.PauseTiming();
      world = Worlds::Memory(store, n, KeyKind::kUuid);
      if (!world.ok()) {
        Fail(state, world.status().message());
        break;
      }
      state.ResumeTiming();
    }
    MemoryWorld& w = **world;
    const MemoryCall& c = w.fresh[w.added];
    absl::StatusOr<StoreId> id = w.store->CreateMemory(c.caller, c.capsule, *c.payload, c.key);
    if (!id.ok()) {
      Unexpected(state, "CreateMemory with a new key", "Ok (M3)", id);
      break;
    }
    ++w.added;
  }
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
  for (auto _ : state) {
    const GalleryCall& c = calls.Next();
    absl::Status created = s.CreateGallery(c.caller, c.capsule, c.id, *c.payload);
    if (!created.ok()) {
      Unexpected(state, "CreateGallery replay", "Ok (F3)", created);
      break;
    }
  }
}

void GalleryAbsent(benchmark::State& state, const std::string& store, size_t n) {
  absl::StatusOr<GalleryWorld*> world = Worlds::Gallery(store, n);
  if (!world.ok()) return Fail(state, world.status().message());
  Store& s = *(*world)->store;
  Cycle calls((*world)->absent);
  for (auto _ : state) {
    const GalleryCall& c = calls.Next();
    absl::StatusOr<GalleryPayload> payload = s.GetGallery(c.caller, c.capsule, c.id);
    if (CodeOf(payload.status()) != Code::kNotFound) {
      Unexpected(state, "GetGallery of an unknown ID", "NotFound (R1)", payload);
      break;
    }
  }
}

void UploadReplay(benchmark::State& state, const std::string& store, size_t n) {
  absl::StatusOr<UploadWorld*> world = Worlds::Upload(store, n);
  if (!world.ok()) return Fail(state, world.status().message());
  Store& s = *(*world)->store;
  Cycle calls((*world)->replays);
  for (auto _ : state) {
    const UploadCall& c = calls.Next();
    absl::StatusOr<StoreId> session = s.BeginUpload(c.caller, c.capsule, 1, c.key);
    if (!session.ok() || *session != c.session) {
      Unexpected(state, "BeginUpload replay", absl::StrCat("Ok with ID ", c.session, " (U1)"),
                 session);
      break;
    }
  }
}

// ---- The floor -----------------------------------------------------------------------------

void FloorHit(benchmark::State& state, size_t n, KeyKind kind) {
  const FloorWorld& floor = Worlds::Floor(n, kind);
  size_t i = 0;
  for (auto _ : state) {
    auto it = floor.table.find(floor.hits[i]);
    if (it == floor.table.end() || it->second != floor.hit_values[i]) {
      Fail(state, "floor: a stored key was not found");
      break;
    }
    if (++i == n) i = 0;
  }
}

void FloorMiss(benchmark::State& state, size_t n) {
  const FloorWorld& floor = Worlds::Floor(n, KeyKind::kUuid);
  size_t i = 0;
  for (auto _ : state) {
    if (floor.table.find(floor.misses[i]) != floor.table.end()) {
      Fail(state, "floor: an absent key was found");
      break;
    }
    if (++i == n) i = 0;
  }
}

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
using FloorFn = void (*)(benchmark::State&, size_t);

enum class Runs { kTimed, kNewKeys, kOnce };

struct Operation {
  absl::string_view name;
  StoreFn store;
  FloorFn floor;
  Runs runs;
};

// In the order they run: operations that share a world are adjacent, and the one that adds
// records comes last among them.
const Operation kOperations[] = {
    {"memory_replay",
     [](benchmark::State& s, const std::string& store, size_t n) {
       MemoryReplay(s, store, n, KeyKind::kUuid);
     },
     [](benchmark::State& s, size_t n) { FloorHit(s, n, KeyKind::kUuid); }, Runs::kTimed},
    {"memory_conflict", MemoryConflict,
     [](benchmark::State& s, size_t n) { FloorHit(s, n, KeyKind::kUuid); }, Runs::kTimed},
    {"memory_read", MemoryRead,
     [](benchmark::State& s, size_t n) { FloorHit(s, n, KeyKind::kUuid); }, Runs::kTimed},
    {"memory_footprint", MemoryFootprint, FloorFootprint, Runs::kOnce},
    {"memory_new_key", MemoryNewKey, FloorMiss, Runs::kNewKeys},
    {"memory_replay_short",
     [](benchmark::State& s, const std::string& store, size_t n) {
       MemoryReplay(s, store, n, KeyKind::kShort);
     },
     [](benchmark::State& s, size_t n) { FloorHit(s, n, KeyKind::kShort); }, Runs::kTimed},
    {"gallery_replay", GalleryReplay,
     [](benchmark::State& s, size_t n) { FloorHit(s, n, KeyKind::kUuid); }, Runs::kTimed},
    {"gallery_absent", GalleryAbsent, FloorMiss, Runs::kTimed},
    {"upload_replay", UploadReplay,
     [](benchmark::State& s, size_t n) { FloorHit(s, n, KeyKind::kUuid); }, Runs::kTimed},
};

bool IsReference(const std::string& store) {
  const StoreInfo* info = Registry::Global().Find(store);
  return info != nullptr && info->kind == StoreKind::kReference;
}

void Configure(benchmark::internal::Benchmark* b, Runs runs, bool reference, size_t n, bool smoke) {
  b->Unit(benchmark::kNanosecond);
  if (smoke || runs == Runs::kOnce) {
    b->Iterations(1)->Repetitions(1);
  } else if (runs == Runs::kNewKeys) {
    const size_t batch = std::max<size_t>(n / 10, 1);
    b->Iterations(static_cast<benchmark::IterationCount>(
        reference ? std::min<size_t>(batch, 1000) : std::max<size_t>(batch, 10'000)));
  }
}

}  // namespace

void RegisterSuite(const SuiteOptions& options) {
  for (size_t n : options.sizes) {
    for (const Operation& op : kOperations) {
      const FloorFn floor = op.floor;
      Configure(benchmark::RegisterBenchmark(absl::StrCat(op.name, "/floor/", n).c_str(),
                                             [floor, n](benchmark::State& s) { floor(s, n); }),
                op.runs == Runs::kOnce ? Runs::kOnce : Runs::kTimed, false, n, options.smoke);
      for (const std::string& store : options.stores) {
        const bool reference = IsReference(store);
        if (reference && n > options.reference_max_size) continue;
        const StoreFn fn = op.store;
        Configure(
            benchmark::RegisterBenchmark(absl::StrCat(op.name, "/", store, "/", n).c_str(),
                                         [fn, store, n](benchmark::State& s) { fn(s, store, n); }),
            op.runs, reference, n, options.smoke);
      }
    }
  }
}

int SuiteFailures() { return failures; }

}  // namespace idemcheck::bench
