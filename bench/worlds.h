// Worlds: stores populated through the public `Store` interface with n records, and the floor (a
// bare hash map of the same n keys), together with every argument a benchmark passes, built
// before any timing starts. A benchmark's loop then only indexes a prepared call and checks its
// outcome.
//
// Calls are laid out in probe order (ProbeOrder) and so are the key strings they point to, which
// are allocated in that order: like a request's arguments, a probe's key is at hand, and what a
// probe pays for is the store's (or the floor's) own memory.
//
// Building a world of 10^6 records takes seconds (minutes for the reference at 10^5), so worlds
// are cached: `Worlds` keeps the latest one per (store, kind) and rebuilds only when the size
// changes or a benchmark has added records.

#ifndef IDEMCHECK_BENCH_WORLDS_H_
#define IDEMCHECK_BENCH_WORLDS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bench/workload.h"
#include "idemcheck/store.h"

namespace idemcheck::bench {

// One CreateMemory / GetMemory call and what a correct store answers.
struct MemoryCall {
  absl::string_view caller;
  StoreId capsule;
  const MemoryPayload* payload;
  absl::string_view key;
  StoreId memory;  // the recorded memory ID (replay, read) or 0 (a new key)
};

// n memories created with distinct keys of one kind.
struct MemoryWorld {
  size_t n = 0;
  KeyKind kind = KeyKind::kUuid;
  std::unique_ptr<Store> store;
  std::vector<std::string> callers;  // by caller index
  std::vector<StoreId> capsules;     // by capsule index
  std::vector<std::string> keys;     // in probe order
  std::vector<MemoryCall> replays;   // every record once, in probe order
  // max(n / 10, 1000) records a benchmark may add, with keys from stream kFresh, and how many
  // it has added: a world with added records is rebuilt before it is handed out again.
  std::vector<std::string> fresh_keys;
  std::vector<MemoryCall> fresh;
  size_t added = 0;
  // Net heap growth of the store while its n records were created.
  int64_t build_bytes = 0;
};

// One call naming a gallery (CreateGallery, GetGallery) and its ID.
struct GalleryCall {
  absl::string_view caller;
  StoreId capsule;
  const GalleryPayload* payload;
  absl::string_view id;
};

// n galleries with distinct UUIDs, and as many UUIDs that name no gallery.
struct GalleryWorld {
  size_t n = 0;
  std::unique_ptr<Store> store;
  std::vector<std::string> callers;
  std::vector<StoreId> capsules;
  std::vector<std::string> ids;         // in probe order
  std::vector<std::string> absent_ids;  // in probe order
  std::vector<GalleryCall> replays;
  std::vector<GalleryCall> absent;
};

struct UploadCall {
  absl::string_view caller;
  StoreId capsule;
  absl::string_view key;
  StoreId session;
};

// n committed one-chunk upload sessions, each begun with a distinct UUID key.
struct UploadWorld {
  size_t n = 0;
  std::unique_ptr<Store> store;
  std::vector<std::string> callers;
  std::vector<StoreId> capsules;
  std::vector<std::string> keys;    // in probe order
  std::vector<UploadCall> replays;  // in probe order
};

// The floor: absl::flat_hash_map<std::string, uint64_t> of the n stored keys of one kind, probed
// with the same key strings in the same order as the stores.
struct FloorWorld {
  size_t n = 0;
  KeyKind kind = KeyKind::kUuid;
  absl::flat_hash_map<std::string, uint64_t> table;  // key of record j -> j
  std::vector<std::string> hits;                     // stored keys, in probe order
  std::vector<uint64_t> hit_values;                  // what each hit finds
  std::vector<std::string> misses;                   // absent keys, in probe order
};

// Net heap growth of a fresh store (after its capsules exist) while n memories are created
// without a key: the cost of the memory entities alone. Like every world builder, it returns an
// error naming the store, the call and the status when the store answers anything but what the
// contract requires.
absl::StatusOr<int64_t> KeylessMemoryBytes(absl::string_view store, size_t n);

// The cache. A returned pointer stays valid until the next call for the same store and kind.
class Worlds {
 public:
  // A world of exactly n records: a cached one unless records were added to it since.
  static absl::StatusOr<MemoryWorld*> Memory(absl::string_view store, size_t n, KeyKind kind);
  static absl::StatusOr<GalleryWorld*> Gallery(absl::string_view store, size_t n);
  static absl::StatusOr<UploadWorld*> Upload(absl::string_view store, size_t n);
  static FloorWorld& Floor(size_t n, KeyKind kind);
};

}  // namespace idemcheck::bench

#endif  // IDEMCHECK_BENCH_WORLDS_H_
