// The small pools that producers draw values from, so that keys, IDs and payloads collide often
// and edge values recur: the shared vocabulary of the property generators, the fuzz decoder and
// the trace generator. A producer picks by index; every index is valid (taken modulo the size).

#ifndef IDEMCHECK_POOLS_H_
#define IDEMCHECK_POOLS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "idemcheck/values.h"

namespace idemcheck::pools {

// alice, bob, carol and the anonymous principal.
const std::vector<std::string>& Principals();

// Idempotency keys: the empty key, short keys, a 255-byte key, and one malformed key.
const std::vector<std::string>& Keys();

// Memory payloads: variants that share a title or a content, so "same" and "different" recur.
const std::vector<MemoryPayload>& MemoryPayloads();
const std::vector<GalleryPayload>& GalleryPayloads();
// Folder names; a folder's parent is drawn from FolderIds() or left empty.
const std::vector<std::string>& FolderNames();

// Client-supplied UUIDs: a few valid ones, then one malformed one.
const std::vector<std::string>& GalleryIds();
const std::vector<std::string>& FolderIds();

// Expected chunk counts: small valid counts, 0 and one past the limit.
std::vector<uint32_t> ExpectedChunks(const Limits& limits);

// The bytes of chunk `index` in variant `variant` (0 or 1): variant 0 is what a well-behaved
// client sends, variant 1 the same index with other bytes.
std::string ChunkBytes(uint32_t index, uint32_t variant);

// The (total_len, digest) claim for a session of `chunks` chunks all sent in variant 0.
struct FinishClaim {
  uint64_t total_len;
  uint64_t digest;
};
FinishClaim ClaimFor(uint32_t chunks);

// Clock advances that land on, and one second either side of, the retention and session TTL
// windows, plus small steps and one advance past the per-call limit.
std::vector<uint64_t> ClockAdvances(const Limits& limits);

// Picks element `index % size` of a pool.
template <typename T>
const T& Pick(const std::vector<T>& pool, size_t index) {
  return pool[index % pool.size()];
}

}  // namespace idemcheck::pools

#endif  // IDEMCHECK_POOLS_H_
