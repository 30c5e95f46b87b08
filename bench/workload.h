// The inputs every benchmark shares: callers, the capsule layout, keys, payloads and the order in
// which stored records are probed. Everything is a pure function of an index, so a store's
// benchmark and the floor (a bare hash map) see byte-identical keys in the same order.
//
// Layout: kCapsules capsules, each owned by one of kCallers principals and shared with three
// controllers; stored record j lives in capsule j % kCapsules and is created by one of that
// capsule's four principals. Keys and principals look like production ones: 36-byte UUID text or
// a short key, 63-byte self-authenticating principal text.

#ifndef IDEMCHECK_BENCH_WORKLOAD_H_
#define IDEMCHECK_BENCH_WORKLOAD_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "idemcheck/values.h"

namespace idemcheck::bench {

inline constexpr size_t kCallers = 256;
inline constexpr size_t kCapsules = 1024;
inline constexpr size_t kPrincipalsPerCapsule = 4;  // the owner and three controllers

// Key streams never share a key: stored records, keys that are never stored, and keys of records
// created while a benchmark runs.
enum class Stream : uint64_t { kStored = 1, kAbsent = 2, kFresh = 3 };

enum class KeyKind : uint8_t { kUuid, kShort };
absl::string_view KeyKindName(KeyKind kind);

// Canonical lowercase UUID text (version 4, variant 1), 36 bytes.
std::string UuidText(Stream stream, uint64_t index);
// A short idempotency key such as "op-2k9f1x": 6 to 16 bytes.
std::string ShortKey(Stream stream, uint64_t index);
std::string Key(KeyKind kind, Stream stream, uint64_t index);

// Principal text of caller `i` (0 <= i < kCallers) and of the subject of capsule `c`.
std::string CallerPrincipal(size_t i);
std::string SubjectPrincipal(size_t c);

// The capsule and caller (indices into the layout) of stored record `j`.
size_t CapsuleOf(uint64_t j);
size_t CallerOf(uint64_t j);
// The caller indices with access to capsule `c`: the owner first, then the controllers.
size_t OwnerOf(size_t c);
size_t ControllerOf(size_t c, size_t k);  // 0 <= k < kPrincipalsPerCapsule - 1

// Payload of stored memory `j`, from a pool of realistic small payloads, and a payload that
// differs from every one of them (for Conflict).
const MemoryPayload& MemoryPayloadOf(uint64_t j);
const MemoryPayload& ConflictingPayload();
const GalleryPayload& GalleryPayloadOf(uint64_t j);
// The single chunk of upload session `j`.
const std::string& ChunkOf(uint64_t j);

// A permutation of [0, n) fixed by n: the order in which benchmarks probe stored records, so that
// consecutive probes touch unrelated parts of the store (and of the floor's table).
std::vector<uint32_t> ProbeOrder(size_t n);

}  // namespace idemcheck::bench

#endif  // IDEMCHECK_BENCH_WORKLOAD_H_
