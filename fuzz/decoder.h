// The fuzz input format: how a byte string becomes a store setup and an operation sequence.
//
// Every byte string decodes, so a fuzzer never wastes an input on a parse error, and every
// decoded sequence is valid: store-chosen IDs are symbolic ordinals (ops.h), and every other value
// is drawn from the shared pools (pools.h), so keys, IDs and payloads collide often.
//
//   byte 0          setup: bit 0 weak lookup hash, bits 1-2 pending-session limit (kPendingLimits)
//   then            records of kRecordBytes bytes: [kind][a][b][c]
//                   kind <  kFaultMarker: an operation, kind % 21 in the order of the `Op` variant
//                   kind >= kFaultMarker: the next operation fails once, at internal step
//                                         kind - kFaultMarker, and is retried (transient_faults.h)
//
// Records are independent of one another: changing a byte changes one operation, and removing a
// record removes one. A trailing partial record is ignored and input past kMaxRecords records is
// cut. docs/fuzzing.md spells out every field of every kind of record.
//
// `Encode` is the exact inverse for sequences whose values all come from the pools; the seed
// corpus and the dictionaries are made with it.

#ifndef IDEMCHECK_FUZZ_DECODER_H_
#define IDEMCHECK_FUZZ_DECODER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "idemcheck/ops.h"
#include "idemcheck/registry.h"

namespace idemcheck::fuzz {

inline constexpr size_t kRecordBytes = 4;
inline constexpr size_t kMaxRecords = 128;
// The longest input that still decodes every byte: the setup byte and kMaxRecords records.
inline constexpr size_t kMaxInputBytes = 1 + kRecordBytes * kMaxRecords;

// Kind bytes from kFaultMarker on are fault markers: 25 internal steps, about one record in ten.
inline constexpr uint8_t kFaultMarker = 231;
inline constexpr uint32_t kFaultSteps = 256 - kFaultMarker;
static_assert(kFaultMarker % std::variant_size_v<Op> == 0, "every kind equally likely");

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

// A 1-bit lookup hash: any two keys collide half the time, so stores must compare in full (M9).
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

// Operation number `op` (0-based) of a sequence fails once at internal step `step` of the store
// under test, and is retried at once (transient_faults.h).
struct Fault {
  size_t op = 0;
  uint32_t step = 0;  // below kFaultSteps
  friend bool operator==(const Fault&, const Fault&) = default;
};

struct FuzzInput {
  StoreSetup setup;
  std::vector<Op> ops;
  std::vector<Fault> faults;  // increasing `op`, each below ops.size()
};

// The setup and the faults, e.g. "default limits; step 3 fails at internal step 2 and is retried".
std::string Describe(const FuzzInput& input);

// Total: every byte string is a valid input.
FuzzInput Decode(absl::string_view bytes);

// The canonical bytes that decode to `input` (unused bits are zero). InvalidArgument, naming the
// step, when a value is outside its pool, a ref outside its range, a fault out of order or range,
// or there are more than kMaxRecords records.
absl::StatusOr<std::string> Encode(const FuzzInput& input);

// The record of one operation: Encode without the setup byte.
absl::StatusOr<std::string> EncodeOp(const Op& op, const Limits& limits = {});

}  // namespace idemcheck::fuzz

#endif  // IDEMCHECK_FUZZ_DECODER_H_
