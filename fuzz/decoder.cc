#include "fuzz/decoder.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "idemcheck/pools.h"
#include "idemcheck/printer.h"

namespace idemcheck::fuzz {
namespace {

constexpr uint8_t kWeakHashBit = 0x01;
constexpr int kPendingShift = 1;
constexpr uint8_t kPendingMask = 0x03;

// The operand bytes of one record, after its kind byte.
struct Record {
  uint8_t a = 0;
  uint8_t b = 0;
  uint8_t c = 0;
};

// The pools that depend on the store's limits, built once per input rather than once per record.
struct LimitPools {
  explicit LimitPools(const Limits& limits)
      : expected_chunks(pools::ExpectedChunks(limits)),
        clock_advances(pools::ClockAdvances(limits)) {}
  std::vector<uint32_t> expected_chunks;
  std::vector<uint64_t> clock_advances;
};

// Byte `a` of most records: the caller in the low nibble, a capsule or session ordinal in the
// high nibble, each through a table that repeats the common case: random bytes then mostly name
// the capsule's creator and the first capsule or session, so that operations get past the access
// checks and act on what earlier operations made.
using NibbleTable = std::array<uint8_t, 16>;
constexpr NibbleTable kCallerOfNibble = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3};
constexpr NibbleTable kCapsuleOfNibble = {1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 0};
constexpr NibbleTable kSessionOfNibble = {1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 5, 6, 7, 0};
static_assert(*std::max_element(kCapsuleOfNibble.begin(), kCapsuleOfNibble.end()) < kCapsuleRefs);
static_assert(*std::max_element(kSessionOfNibble.begin(), kSessionOfNibble.end()) < kSessionRefs);

const std::string& CallerOf(uint8_t a) {
  return pools::Pick(pools::Principals(), kCallerOfNibble[a & 0x0F]);
}
CapsuleRef CapsuleOf(uint8_t a) { return CapsuleRef{kCapsuleOfNibble[a >> 4]}; }
SessionRef SessionOf(uint8_t a) { return SessionRef{kSessionOfNibble[a >> 4]}; }

// The first nibble that `table` maps to `value`, or nullopt.
std::optional<uint8_t> NibbleFor(const NibbleTable& table, uint32_t value) {
  for (uint8_t i = 0; i < table.size(); ++i) {
    if (table[i] == value) return i;
  }
  return std::nullopt;
}

// One decoder per kind of operation, in the order of the `Op` variant.
struct Decoders {
  static Op CreateCapsule(const Record& r, const LimitPools&) {
    return op::CreateCapsule{CallerOf(r.a), pools::Pick(pools::Principals(), r.b)};
  }
  template <typename Access>
  static Op AccessChange(const Record& r, const LimitPools&) {
    return Access{CallerOf(r.a), CapsuleOf(r.a), pools::Pick(pools::Principals(), r.b),
                  (r.c & 1) ? Role::kController : Role::kOwner};
  }
  static Op CreateMemory(const Record& r, const LimitPools&) {
    return op::CreateMemory{CallerOf(r.a), CapsuleOf(r.a),
                            pools::Pick(pools::MemoryPayloads(), r.b),
                            pools::Pick(pools::Keys(), r.c)};
  }
  template <typename ById>
  static Op MemoryById(const Record& r, const LimitPools&) {
    return ById{CallerOf(r.a), CapsuleOf(r.a), MemoryRef{r.b % kMemoryRefs}};
  }
  template <typename List>
  static Op Listing(const Record& r, const LimitPools&) {
    return List{CallerOf(r.a), CapsuleOf(r.a)};
  }
  static Op CreateGallery(const Record& r, const LimitPools&) {
    return op::CreateGallery{CallerOf(r.a), CapsuleOf(r.a), pools::Pick(pools::GalleryIds(), r.b),
                             pools::Pick(pools::GalleryPayloads(), r.c)};
  }
  template <typename ByUuid>
  static Op GalleryById(const Record& r, const LimitPools&) {
    return ByUuid{CallerOf(r.a), CapsuleOf(r.a), pools::Pick(pools::GalleryIds(), r.b)};
  }
  static Op CreateFolder(const Record& r, const LimitPools&) {
    // c: the name in the low nibble; the parent in the high one, 0 for none.
    const std::vector<std::string>& ids = pools::FolderIds();
    const size_t parent = (r.c >> 4) % (ids.size() + 1);
    return op::CreateFolder{
        CallerOf(r.a), CapsuleOf(r.a), pools::Pick(ids, r.b),
        FolderPayload{pools::Pick(pools::FolderNames(), r.c & 0x0F),
                      parent == 0 ? std::nullopt : std::optional<std::string>(ids[parent - 1])}};
  }
  template <typename ByUuid>
  static Op FolderById(const Record& r, const LimitPools&) {
    return ByUuid{CallerOf(r.a), CapsuleOf(r.a), pools::Pick(pools::FolderIds(), r.b)};
  }
  static Op BeginUpload(const Record& r, const LimitPools& limits) {
    return op::BeginUpload{CallerOf(r.a), CapsuleOf(r.a), pools::Pick(limits.expected_chunks, r.b),
                           pools::Pick(pools::Keys(), r.c)};
  }
  static Op PutChunk(const Record& r, const LimitPools&) {
    const uint32_t index = r.b % kChunkIndexes;
    // c: the well-behaved client's bytes, except one value in four.
    return op::PutChunk{CallerOf(r.a), SessionOf(r.a), index,
                        pools::ChunkBytes(index, (r.c & 3) == 3 ? 1 : 0)};
  }
  static Op FinishUpload(const Record& r, const LimitPools&) {
    const pools::FinishClaim claim = pools::ClaimFor(r.b % kClaims);
    return op::FinishUpload{CallerOf(r.a), SessionOf(r.a), claim.total_len, claim.digest};
  }
  static Op AbortUpload(const Record& r, const LimitPools&) {
    return op::AbortUpload{CallerOf(r.a), SessionOf(r.a)};
  }
  static Op AdvanceClock(const Record& r, const LimitPools& limits) {
    return op::AdvanceClock{pools::Pick(limits.clock_advances, r.a)};
  }
  static Op Upgrade(const Record&, const LimitPools&) { return op::Upgrade{}; }
};

using DecodeFn = Op (*)(const Record&, const LimitPools&);
constexpr DecodeFn kDecoders[] = {
    &Decoders::CreateCapsule,
    &Decoders::AccessChange<op::Grant>,
    &Decoders::AccessChange<op::Revoke>,
    &Decoders::CreateMemory,
    &Decoders::MemoryById<op::GetMemory>,
    &Decoders::MemoryById<op::DeleteMemory>,
    &Decoders::Listing<op::ListMemories>,
    &Decoders::CreateGallery,
    &Decoders::GalleryById<op::GetGallery>,
    &Decoders::GalleryById<op::DeleteGallery>,
    &Decoders::Listing<op::ListGalleries>,
    &Decoders::CreateFolder,
    &Decoders::FolderById<op::GetFolder>,
    &Decoders::FolderById<op::DeleteFolder>,
    &Decoders::Listing<op::ListFolders>,
    &Decoders::BeginUpload,
    &Decoders::PutChunk,
    &Decoders::FinishUpload,
    &Decoders::AbortUpload,
    &Decoders::AdvanceClock,
    &Decoders::Upgrade,
};
static_assert(std::size(kDecoders) == std::variant_size_v<Op>,
              "every kind of operation needs a record decoder");

// The index of `value` in `pool`, or nullopt.
template <typename T>
std::optional<uint8_t> IndexIn(const std::vector<T>& pool, const T& value) {
  auto it = std::find(pool.begin(), pool.end(), value);
  if (it == pool.end() || it - pool.begin() > 0xFF) return std::nullopt;
  return static_cast<uint8_t>(it - pool.begin());
}

// Builds the record of one op, failing on the first value the format cannot carry.
class RecordEncoder {
 public:
  explicit RecordEncoder(const Limits& limits) : limits_(limits) {}

  absl::StatusOr<Record> operator()(const op::CreateCapsule& o) {
    return Finish(Record{Caller(o.caller, 0), Principal(o.subject)});
  }
  absl::StatusOr<Record> operator()(const op::Grant& o) { return Access(o); }
  absl::StatusOr<Record> operator()(const op::Revoke& o) { return Access(o); }
  absl::StatusOr<Record> operator()(const op::CreateMemory& o) {
    return Finish(Record{Caller(o.caller, Capsule(o.capsule)),
                         Index(pools::MemoryPayloads(), o.payload, "memory payload"),
                         Index(pools::Keys(), o.key, "key")});
  }
  absl::StatusOr<Record> operator()(const op::GetMemory& o) { return MemoryById(o); }
  absl::StatusOr<Record> operator()(const op::DeleteMemory& o) { return MemoryById(o); }
  absl::StatusOr<Record> operator()(const op::ListMemories& o) { return Listing(o); }
  absl::StatusOr<Record> operator()(const op::CreateGallery& o) {
    return Finish(Record{Caller(o.caller, Capsule(o.capsule)),
                         Index(pools::GalleryIds(), o.id, "gallery ID"),
                         Index(pools::GalleryPayloads(), o.payload, "gallery payload")});
  }
  absl::StatusOr<Record> operator()(const op::GetGallery& o) { return GalleryById(o); }
  absl::StatusOr<Record> operator()(const op::DeleteGallery& o) { return GalleryById(o); }
  absl::StatusOr<Record> operator()(const op::ListGalleries& o) { return Listing(o); }
  absl::StatusOr<Record> operator()(const op::CreateFolder& o) {
    uint8_t parent = 0;
    if (o.payload.parent.has_value()) {
      parent = Index(pools::FolderIds(), *o.payload.parent, "folder parent") + 1;
    }
    const uint8_t name = Index(pools::FolderNames(), o.payload.name, "folder name");
    if (name > 0x0F || parent > 0x0F) Fail("folder name or parent pool too large");
    return Finish(Record{Caller(o.caller, Capsule(o.capsule)),
                         Index(pools::FolderIds(), o.id, "folder ID"),
                         static_cast<uint8_t>(name | parent << 4)});
  }
  absl::StatusOr<Record> operator()(const op::GetFolder& o) { return FolderById(o); }
  absl::StatusOr<Record> operator()(const op::DeleteFolder& o) { return FolderById(o); }
  absl::StatusOr<Record> operator()(const op::ListFolders& o) { return Listing(o); }
  absl::StatusOr<Record> operator()(const op::BeginUpload& o) {
    return Finish(
        Record{Caller(o.caller, Capsule(o.capsule)),
               Index(pools::ExpectedChunks(limits_), o.expected_chunks, "expected chunks"),
               Index(pools::Keys(), o.key, "key")});
  }
  absl::StatusOr<Record> operator()(const op::PutChunk& o) {
    uint8_t variant = 0;
    if (o.index >= kChunkIndexes) {
      Fail("chunk index out of range");
    } else if (o.bytes == pools::ChunkBytes(o.index, 1)) {
      variant = 3;
    } else if (o.bytes != pools::ChunkBytes(o.index, 0)) {
      Fail("chunk bytes not in the pool");
    }
    return Finish(
        Record{Caller(o.caller, Session(o.session)), static_cast<uint8_t>(o.index), variant});
  }
  absl::StatusOr<Record> operator()(const op::FinishUpload& o) {
    uint8_t claim = 0;
    while (claim < kClaims && (pools::ClaimFor(claim).total_len != o.total_len ||
                               pools::ClaimFor(claim).digest != o.digest)) {
      ++claim;
    }
    if (claim == kClaims) Fail("upload claim not in the pool");
    return Finish(Record{Caller(o.caller, Session(o.session)), claim});
  }
  absl::StatusOr<Record> operator()(const op::AbortUpload& o) {
    return Finish(Record{Caller(o.caller, Session(o.session))});
  }
  absl::StatusOr<Record> operator()(const op::AdvanceClock& o) {
    return Finish(Record{Index(pools::ClockAdvances(limits_), o.seconds, "clock advance")});
  }
  absl::StatusOr<Record> operator()(const op::Upgrade&) { return Record{}; }

 private:
  template <typename O>
  absl::StatusOr<Record> Access(const O& o) {
    return Finish(Record{Caller(o.caller, Capsule(o.capsule)), Principal(o.principal),
                         static_cast<uint8_t>(o.role == Role::kController ? 1 : 0)});
  }
  template <typename O>
  absl::StatusOr<Record> MemoryById(const O& o) {
    return Finish(Record{Caller(o.caller, Capsule(o.capsule)), Ordinal(o.memory, kMemoryRefs)});
  }
  template <typename O>
  absl::StatusOr<Record> Listing(const O& o) {
    return Finish(Record{Caller(o.caller, Capsule(o.capsule))});
  }
  template <typename O>
  absl::StatusOr<Record> GalleryById(const O& o) {
    return Finish(Record{Caller(o.caller, Capsule(o.capsule)),
                         Index(pools::GalleryIds(), o.id, "gallery ID")});
  }
  template <typename O>
  absl::StatusOr<Record> FolderById(const O& o) {
    return Finish(
        Record{Caller(o.caller, Capsule(o.capsule)), Index(pools::FolderIds(), o.id, "folder ID")});
  }

  uint8_t Principal(const std::string& p) { return Index(pools::Principals(), p, "principal"); }
  uint8_t Caller(const std::string& caller, uint8_t high) {
    return static_cast<uint8_t>(Nibble(kCallerOfNibble, Principal(caller), "caller") | high << 4);
  }
  uint8_t Capsule(CapsuleRef ref) { return Nibble(kCapsuleOfNibble, ref.n, "capsule ref"); }
  uint8_t Session(SessionRef ref) { return Nibble(kSessionOfNibble, ref.n, "session ref"); }
  template <IdKind K>
  uint8_t Ordinal(Ref<K> ref, uint32_t range) {
    if (ref.n >= range) {
      Fail(absl::StrCat("ref ", ToString(ref), " outside 0..", range - 1));
      return 0;
    }
    return static_cast<uint8_t>(ref.n);
  }
  uint8_t Nibble(const NibbleTable& table, uint32_t value, absl::string_view what) {
    std::optional<uint8_t> nibble = NibbleFor(table, value);
    if (!nibble.has_value()) {
      Fail(absl::StrCat(what, " ", value, " has no nibble"));
      return 0;
    }
    return *nibble;
  }

  template <typename T>
  uint8_t Index(const std::vector<T>& pool, const T& value, absl::string_view what) {
    std::optional<uint8_t> index = IndexIn(pool, value);
    if (!index.has_value()) {
      Fail(absl::StrCat(what, " not in the pool"));
      return 0;
    }
    return *index;
  }

  void Fail(absl::string_view why) {
    if (error_.empty()) error_ = std::string(why);
  }
  absl::StatusOr<Record> Finish(Record record) const {
    if (!error_.empty()) return absl::InvalidArgumentError(error_);
    return record;
  }

  const Limits& limits_;
  std::string error_;
};

}  // namespace

uint64_t WeakLookupHash(absl::string_view bytes) { return Fnv1a64(bytes) & 1; }

StoreOptions StoreSetup::Options() const {
  StoreOptions options;
  options.limits.max_pending_sessions = max_pending_sessions;
  if (weak_lookup_hash) options.lookup_hash = &WeakLookupHash;
  return options;
}

std::string Describe(const StoreSetup& setup) {
  if (setup == StoreSetup{}) return "default limits";
  return absl::StrCat(setup.weak_lookup_hash ? "weak lookup hash" : "store's lookup hash", ", ",
                      setup.max_pending_sessions, " pending sessions");
}

std::string Describe(const FuzzInput& input) {
  std::string out = Describe(input.setup);
  for (const Fault& fault : input.faults) {
    absl::StrAppend(&out, "; step ", fault.op + 1, " fails at internal step ", fault.step,
                    " and is retried");
  }
  return out;
}

FuzzInput Decode(absl::string_view bytes) {
  FuzzInput input;
  if (bytes.empty()) return input;
  const auto setup = static_cast<uint8_t>(bytes[0]);
  input.setup.weak_lookup_hash = (setup & kWeakHashBit) != 0;
  input.setup.max_pending_sessions = kPendingLimits[(setup >> kPendingShift) & kPendingMask];
  const LimitPools limits(input.setup.Options().limits);

  bytes.remove_prefix(1);
  const size_t records = std::min(bytes.size() / kRecordBytes, kMaxRecords);
  input.ops.reserve(records);
  std::optional<uint32_t> fault;  // the step of a marker that waits for its operation
  for (size_t i = 0; i < records; ++i) {
    const auto* r = reinterpret_cast<const uint8_t*>(bytes.data() + i * kRecordBytes);
    if (r[0] >= kFaultMarker) {
      fault = r[0] - kFaultMarker;
      continue;
    }
    if (fault.has_value()) input.faults.push_back(Fault{input.ops.size(), *fault});
    fault.reset();
    input.ops.push_back(kDecoders[r[0] % std::size(kDecoders)](Record{r[1], r[2], r[3]}, limits));
  }
  return input;
}

absl::StatusOr<std::string> EncodeOp(const Op& op, const Limits& limits) {
  absl::StatusOr<Record> record = std::visit(RecordEncoder(limits), op);
  if (!record.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot encode ", ToString(op), ": ", record.status().message()));
  }
  return std::string{static_cast<char>(op.index()), static_cast<char>(record->a),
                     static_cast<char>(record->b), static_cast<char>(record->c)};
}

absl::StatusOr<std::string> Encode(const FuzzInput& input) {
  const auto pending =
      std::find(kPendingLimits.begin(), kPendingLimits.end(), input.setup.max_pending_sessions);
  if (pending == kPendingLimits.end()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "pending-session limit ", input.setup.max_pending_sessions, " is not one of the format's"));
  }
  if (input.ops.size() + input.faults.size() > kMaxRecords) {
    return absl::InvalidArgumentError(
        absl::StrCat(input.ops.size(), " ops and ", input.faults.size(),
                     " faults; the format holds at most ", kMaxRecords, " records"));
  }
  for (size_t f = 0; f < input.faults.size(); ++f) {
    const Fault& fault = input.faults[f];
    if (fault.op >= input.ops.size() || fault.step >= kFaultSteps ||
        (f > 0 && fault.op <= input.faults[f - 1].op)) {
      return absl::InvalidArgumentError(absl::StrCat("fault ", f + 1, " (step ", fault.op + 1,
                                                     ", internal step ", fault.step,
                                                     ") is out of order or range"));
    }
  }
  std::string bytes(1, static_cast<char>((input.setup.weak_lookup_hash ? kWeakHashBit : 0) |
                                         (pending - kPendingLimits.begin()) << kPendingShift));
  const Limits limits = input.setup.Options().limits;
  size_t next_fault = 0;
  for (size_t i = 0; i < input.ops.size(); ++i) {
    if (next_fault < input.faults.size() && input.faults[next_fault].op == i) {
      bytes +=
          std::string{static_cast<char>(kFaultMarker + input.faults[next_fault++].step), 0, 0, 0};
    }
    absl::StatusOr<std::string> record = EncodeOp(input.ops[i], limits);
    if (!record.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("step ", i + 1, ": ", record.status().message()));
    }
    bytes += *record;
  }
  return bytes;
}

}  // namespace idemcheck::fuzz
