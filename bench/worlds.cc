#include "bench/worlds.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bench/counting_allocator.h"
#include "bench/workload.h"
#include "idemcheck/ops.h"
#include "idemcheck/registry.h"
#include "idemcheck/store.h"

namespace idemcheck::bench {
namespace {

absl::Status Unexpected(absl::string_view store, absl::string_view call, uint64_t j,
                        const absl::Status& status) {
  return absl::InternalError(absl::StrCat("store '", store, "': ", call, " of record ", j,
                                          " returned ", CodeName(CodeOf(status)), " (",
                                          status.message(), ") while building the world"));
}

// A fresh store with the benchmark layout: every capsule, its owner and its controllers.
struct Layout {
  std::unique_ptr<Store> store;
  std::vector<std::string> callers;
  std::vector<StoreId> capsules;
};

absl::StatusOr<Layout> NewLayout(absl::string_view name) {
  absl::StatusOr<std::unique_ptr<Store>> store = Registry::Global().Create(name);
  if (!store.ok()) return store.status();
  // The shared payload pools are built on first use: build them now, outside any heap window.
  MemoryPayloadOf(0);
  GalleryPayloadOf(0);
  ChunkOf(0);
  Layout layout{std::move(*store), {}, {}};
  for (size_t i = 0; i < kCallers; ++i) layout.callers.push_back(CallerPrincipal(i));
  for (size_t c = 0; c < kCapsules; ++c) {
    absl::StatusOr<StoreId> id =
        layout.store->CreateCapsule(layout.callers[OwnerOf(c)], SubjectPrincipal(c));
    if (!id.ok()) return Unexpected(name, "CreateCapsule", c, id.status());
    layout.capsules.push_back(*id);
    for (size_t k = 0; k + 1 < kPrincipalsPerCapsule; ++k) {
      absl::Status granted = layout.store->Grant(
          layout.callers[OwnerOf(c)], *id, layout.callers[ControllerOf(c, k)], Role::kController);
      if (!granted.ok()) return Unexpected(name, "Grant", c, granted);
    }
  }
  return layout;
}

template <typename World>
void Adopt(World& world, Layout layout) {
  world.store = std::move(layout.store);
  world.callers = std::move(layout.callers);
  world.capsules = std::move(layout.capsules);
}

// Which record is probed p-th (order) and when record j is probed (position).
struct Probes {
  explicit Probes(size_t n) : order(ProbeOrder(n)), position(n) {
    for (size_t p = 0; p < n; ++p) position[order[p]] = static_cast<uint32_t>(p);
  }
  std::vector<uint32_t> order;
  std::vector<uint32_t> position;
};

// make(j) for every record, in probe order and allocated in that order.
template <typename Make>
std::vector<std::string> InProbeOrder(const Probes& probes, Make make) {
  std::vector<std::string> strings;
  strings.reserve(probes.order.size());
  for (uint32_t j : probes.order) strings.push_back(make(j));
  return strings;
}

absl::StatusOr<std::unique_ptr<GalleryWorld>> BuildGalleryWorld(absl::string_view name, size_t n) {
  absl::StatusOr<Layout> layout = NewLayout(name);
  if (!layout.ok()) return layout.status();
  auto world = std::make_unique<GalleryWorld>();
  world->n = n;
  Adopt(*world, std::move(*layout));
  const Probes probes(n);
  world->ids = InProbeOrder(probes, [](uint64_t j) { return UuidText(Stream::kStored, j); });
  world->absent_ids = InProbeOrder(probes, [](uint64_t j) { return UuidText(Stream::kAbsent, j); });
  Store& store = *world->store;
  for (uint64_t j = 0; j < n; ++j) {
    absl::Status created =
        store.CreateGallery(world->callers[CallerOf(j)], world->capsules[CapsuleOf(j)],
                            world->ids[probes.position[j]], GalleryPayloadOf(j));
    if (!created.ok()) return Unexpected(name, "CreateGallery", j, created);
  }
  for (size_t p = 0; p < n; ++p) {
    const uint32_t j = probes.order[p];
    const GalleryCall call{world->callers[CallerOf(j)], world->capsules[CapsuleOf(j)],
                           &GalleryPayloadOf(j), world->ids[p]};
    world->replays.push_back(call);
    world->absent.push_back(call);
    world->absent.back().id = world->absent_ids[p];
  }
  return world;
}

absl::StatusOr<std::unique_ptr<UploadWorld>> BuildUploadWorld(absl::string_view name, size_t n) {
  absl::StatusOr<Layout> layout = NewLayout(name);
  if (!layout.ok()) return layout.status();
  auto world = std::make_unique<UploadWorld>();
  world->n = n;
  Adopt(*world, std::move(*layout));
  const Probes probes(n);
  world->keys = InProbeOrder(probes, [](uint64_t j) { return UuidText(Stream::kStored, j); });
  std::vector<StoreId> sessions(n);
  Store& store = *world->store;
  for (uint64_t j = 0; j < n; ++j) {
    const std::string& caller = world->callers[CallerOf(j)];
    absl::StatusOr<StoreId> session = store.BeginUpload(caller, world->capsules[CapsuleOf(j)], 1,
                                                        world->keys[probes.position[j]]);
    if (!session.ok()) return Unexpected(name, "BeginUpload", j, session.status());
    const std::string& chunk = ChunkOf(j);
    absl::Status put = store.PutChunk(caller, *session, 0, chunk);
    if (!put.ok()) return Unexpected(name, "PutChunk", j, put);
    absl::StatusOr<StoreId> blob =
        store.FinishUpload(caller, *session, chunk.size(), Fnv1a64(chunk));
    if (!blob.ok()) return Unexpected(name, "FinishUpload", j, blob.status());
    sessions[j] = *session;
  }
  for (size_t p = 0; p < n; ++p) {
    const uint32_t j = probes.order[p];
    world->replays.push_back(UploadCall{world->callers[CallerOf(j)], world->capsules[CapsuleOf(j)],
                                        world->keys[p], sessions[j]});
  }
  return world;
}

std::unique_ptr<FloorWorld> BuildFloorWorld(size_t n, KeyKind kind) {
  auto world = std::make_unique<FloorWorld>();
  world->n = n;
  world->kind = kind;
  const Probes probes(n);
  world->hits = InProbeOrder(probes, [kind](uint64_t j) { return Key(kind, Stream::kStored, j); });
  world->misses =
      InProbeOrder(probes, [kind](uint64_t j) { return Key(kind, Stream::kAbsent, j); });
  // Grown by insertion in creation order, as a real index would be: no reserve.
  for (uint64_t j = 0; j < n; ++j) world->table.emplace(world->hits[probes.position[j]], j);
  world->hit_values.assign(probes.order.begin(), probes.order.end());
  return world;
}

std::string CacheKey(absl::string_view store, absl::string_view kind) {
  return absl::StrCat(store, "/", kind);
}

// Builds into `slot` unless it already holds a world of size n for which `reusable` holds. The
// old world is released first, so two large worlds never coexist.
template <typename World, typename Build>
absl::StatusOr<World*> Cached(std::unique_ptr<World>& slot, size_t n, bool reusable, Build build) {
  if (slot != nullptr && slot->n == n && reusable) return slot.get();
  slot.reset();
  absl::StatusOr<std::unique_ptr<World>> built = build();
  if (!built.ok()) return built.status();
  slot = std::move(*built);
  return slot.get();
}

}  // namespace

namespace {

absl::StatusOr<std::unique_ptr<MemoryWorld>> BuildMemoryWorld(absl::string_view name, size_t n,
                                                              KeyKind kind) {
  absl::StatusOr<Layout> layout = NewLayout(name);
  if (!layout.ok()) return layout.status();
  auto world = std::make_unique<MemoryWorld>();
  world->n = n;
  world->kind = kind;
  Adopt(*world, std::move(*layout));
  const Probes probes(n);
  world->keys = InProbeOrder(probes, [kind](uint64_t j) { return Key(kind, Stream::kStored, j); });
  const size_t fresh = std::max<size_t>(n / 10, 1000);
  for (uint64_t j = 0; j < fresh; ++j) world->fresh_keys.push_back(Key(kind, Stream::kFresh, j));
  std::vector<StoreId> ids(n);
  Store& store = *world->store;
  {
    const HeapGrowth growth;
    for (uint64_t j = 0; j < n; ++j) {
      absl::StatusOr<StoreId> id =
          store.CreateMemory(world->callers[CallerOf(j)], world->capsules[CapsuleOf(j)],
                             MemoryPayloadOf(j), world->keys[probes.position[j]]);
      if (!id.ok()) return Unexpected(name, "CreateMemory", j, id.status());
      ids[j] = *id;
    }
    world->build_bytes = growth.bytes();
  }
  for (size_t p = 0; p < n; ++p) {
    const uint32_t j = probes.order[p];
    world->replays.push_back(MemoryCall{world->callers[CallerOf(j)], world->capsules[CapsuleOf(j)],
                                        &MemoryPayloadOf(j), world->keys[p], ids[j]});
  }
  for (uint64_t j = 0; j < fresh; ++j) {
    world->fresh.push_back(MemoryCall{world->callers[CallerOf(j)], world->capsules[CapsuleOf(j)],
                                      &MemoryPayloadOf(j), world->fresh_keys[j], 0});
  }
  return world;
}

}  // namespace

absl::StatusOr<int64_t> KeylessMemoryBytes(absl::string_view name, size_t n) {
  absl::StatusOr<Layout> layout = NewLayout(name);
  if (!layout.ok()) return layout.status();
  const HeapGrowth growth;
  for (uint64_t j = 0; j < n; ++j) {
    absl::StatusOr<StoreId> id = layout->store->CreateMemory(
        layout->callers[CallerOf(j)], layout->capsules[CapsuleOf(j)], MemoryPayloadOf(j), "");
    if (!id.ok()) return Unexpected(name, "CreateMemory without a key", j, id.status());
  }
  return growth.bytes();
}

absl::StatusOr<MemoryWorld*> Worlds::Memory(absl::string_view store, size_t n, KeyKind kind) {
  static auto* cache = new absl::flat_hash_map<std::string, std::unique_ptr<MemoryWorld>>();
  std::unique_ptr<MemoryWorld>& slot = (*cache)[CacheKey(store, KeyKindName(kind))];
  return Cached(slot, n, slot != nullptr && slot->added == 0,
                [&] { return BuildMemoryWorld(store, n, kind); });
}

absl::StatusOr<GalleryWorld*> Worlds::Gallery(absl::string_view store, size_t n) {
  static auto* cache = new absl::flat_hash_map<std::string, std::unique_ptr<GalleryWorld>>();
  return Cached((*cache)[std::string(store)], n, true, [&] { return BuildGalleryWorld(store, n); });
}

absl::StatusOr<UploadWorld*> Worlds::Upload(absl::string_view store, size_t n) {
  static auto* cache = new absl::flat_hash_map<std::string, std::unique_ptr<UploadWorld>>();
  return Cached((*cache)[std::string(store)], n, true, [&] { return BuildUploadWorld(store, n); });
}

FloorWorld& Worlds::Floor(size_t n, KeyKind kind) {
  static auto* cache = new absl::flat_hash_map<KeyKind, std::unique_ptr<FloorWorld>>();
  std::unique_ptr<FloorWorld>& slot = (*cache)[kind];
  if (slot == nullptr || slot->n != n) {
    slot.reset();
    slot = BuildFloorWorld(n, kind);
  }
  return *slot;
}

}  // namespace idemcheck::bench
