// The fuzz input format: how a byte string becomes a store setup and an operation sequence.
//
// Every byte string decodes, so a fuzzer never wastes an input on a parse error, and every
// decoded sequence is valid: store-chosen IDs are symbolic ordinals (ops.h), and every other value
// is drawn from the shared pools (pools.h), so keys, IDs and payloads collide often.
//
//   byte 0          setup: bit 0 weak lookup hash, bits 1-2 pending-session limit (kPendingLimits)
//   then            one record of kRecordBytes bytes per operation: [kind][a][b][c]
//
// Records are independent of one another: changing a byte changes one operation, and removing a
// record removes one. A trailing partial record is ignored and input past kMaxOps records is cut.
// docs/fuzzing.md spells out every field of every kind of record.
//
// `Encode` is the exact inverse for sequences whose values all come from the pools; the seed
// corpus and the dictionaries are made with it.

#ifndef IDEMCHECK_FUZZ_DECODER_H_
#define IDEMCHECK_FUZZ_DECODER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "idemcheck/ops.h"
#include "idemcheck/registry.h"

namespace idemcheck::fuzz {

inline constexpr size_t kRecordBytes = 4;
inline constexpr size_t kMaxOps = 128;
// The longest input that still decodes every byte: the setup byte and kMaxOps records.
inline constexpr size_t kMaxInputBytes = 1 + kRecordBytes * kMaxOps;

// Ordinals a record can name: 0 is an ID that was never handed out (an unknown-ID case).
inline constexpr uint32_t kCapsuleRefs = 4;  // c0..c3
inline constexpr uint32_t kMemoryRefs = 8;   // m0..m7
inline constexpr uint32_t kSessionRefs = 8;  // u0..u7
// Chunk indexes 0..3: with expected chunk counts of 1..3, the last is always out of range.
inline constexpr uint32_t kChunkIndexes = 4;
// FinishUpload claims ClaimFor(n) for n in 0..kClaims-1 (pools.h).
inline constexpr uint32_t kClaims = 4;

// Pending upload sessions allowed per (capsule, caller): the contract's default, and limits small
// enough that a short sequence reaches them (U2).
inline constexpr std::array<uint32_t, 4> kPendingLimits = {100, 1, 2, 3};

// A 4-bit lookup hash, so that idempotency records collide and stores must compare in full (M9).
uint64_t WeakLookupHash(absl::string_view bytes);

// The store configuration an input asks for.
struct StoreSetup {
  bool weak_lookup_hash = false;
  uint32_t max_pending_sessions = kPendingLimits[0];  // one of kPendingLimits

  StoreOptions Options() const;
  friend bool operator==(const StoreSetup&, const StoreSetup&) = default;
};

// "default limits" or e.g. "weak lookup hash, 2 pending sessions".
std::string Describe(const StoreSetup& setup);

struct FuzzInput {
  StoreSetup setup;
  std::vector<Op> ops;  // at most kMaxOps
};

// Total: every byte string is a valid input.
FuzzInput Decode(absl::string_view bytes);

// The canonical bytes that decode to `input` (unused bits are zero). InvalidArgument, naming the
// step, when a value is outside its pool, a ref outside its range, or there are too many ops.
absl::StatusOr<std::string> Encode(const FuzzInput& input);

// The record of one operation: Encode without the setup byte.
absl::StatusOr<std::string> EncodeOp(const Op& op, const Limits& limits = {});

}  // namespace idemcheck::fuzz

#endif  // IDEMCHECK_FUZZ_DECODER_H_
