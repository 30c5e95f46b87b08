#include "properties/generators.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "idemcheck/pools.h"
#include "idemcheck/printer.h"

namespace idemcheck::properties {
namespace {

namespace gen = rc::gen;

constexpr size_t kOpKinds = std::variant_size_v<Op>;

// How often each operation appears, in the order of the `Op` variant; how often (percent) a
// step instead re-issues an earlier retryable op, continues the current upload the way a
// well-behaved client would, revokes the role the last Grant gave, or is a fresh op made by the
// last grantee in the capsule of the grant.
struct Profile {
  ProfileInfo info;
  std::array<uint32_t, kOpKinds> weights;
  uint32_t replay_percent;
  uint32_t upload_percent;
  uint32_t revoke_percent;
  uint32_t grantee_percent;
};

// clang-format off
//   weights: CreateCapsule Grant Revoke | CreateMemory Get Delete List |
//            CreateGallery Get Delete List | CreateFolder Get Delete List |
//            BeginUpload PutChunk Finish Abort | AdvanceClock Upgrade;
//   then the replay, upload-continuation, revoke-last-grant and act-as-grantee percents
const std::vector<Profile>& ProfileTable() {
  static const auto* table = new std::vector<Profile>{
      {{"mixed", "every operation of SEMANTICS.md, some of each kind of step"},
       {8, 3, 2,  14, 3, 3, 2,  5, 2, 2, 1,  5, 2, 2, 1,  6, 8, 5, 2,  5, 2}, 15, 10, 3, 3},
      {{"memories", "memory creates, reads and deletes with grants, revokes, clock and Upgrade"},
       {7, 3, 2,  30, 5, 6, 4,  0, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 0,  6, 3}, 15, 0, 3, 3},
      {{"named", "galleries and folders: client-supplied UUIDs, parents, tombstones"},
       {7, 2, 1,  0, 0, 0, 0,  15, 4, 5, 3,  15, 4, 5, 3,  0, 0, 0, 0,  4, 2}, 15, 0, 0, 0},
      {{"uploads", "chunked uploads: begin, chunk retries with same and other bytes, finish, "
                   "abort"},
       {7, 2, 2,  0, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 0,  18, 10, 6, 1,  5, 3}, 20, 45, 0, 0},
      {{"access", "grants and revokes between retries, callers without access, the anonymous "
                  "one"},
       {8, 12, 4,  18, 4, 3, 3,  4, 2, 2, 1,  4, 2, 2, 1,  5, 2, 2, 1,  2, 2}, 20, 5, 8, 20},
      {{"clock", "creates and retries around the retention and session TTL boundaries"},
       {7, 2, 1,  16, 4, 4, 3,  5, 2, 3, 2,  4, 2, 2, 1,  6, 6, 4, 2,  18, 3}, 25, 8, 0, 0},
      {{"upgrade", "every operation, with an Upgrade every few steps"},
       {8, 3, 2,  14, 3, 3, 2,  5, 2, 2, 1,  5, 2, 2, 1,  6, 8, 5, 2,  5, 12}, 15, 10, 0, 0},
      {{"replay", "creates of every kind, re-issued often: a retry storm"},
       {7, 2, 0,  16, 2, 3, 2,  8, 1, 3, 1,  8, 1, 3, 1,  8, 8, 5, 1,  3, 3}, 45, 10, 0, 3},
  };
  return *table;
}
// clang-format on

const Profile* FindProfile(absl::string_view name) {
  for (const Profile& p : ProfileTable()) {
    if (p.info.name == name) return &p;
  }
  return nullptr;
}

absl::Status UnknownProfile(absl::string_view name) {
  std::vector<std::string> names;
  for (const Profile& p : ProfileTable()) names.push_back(p.info.name);
  return absl::InvalidArgumentError(
      absl::StrCat("unknown profile '", name, "'; valid profiles: ", absl::StrJoin(names, ", ")));
}

// An index drawn with the given weights; indices past the end of `weights` get weight 1. Shrinks
// toward index 0 (or the first index with a weight).
rc::Gen<size_t> WeightedIndex(std::vector<uint32_t> weights, size_t count) {
  weights.resize(count, 1);
  std::vector<uint32_t> bounds;
  uint32_t total = 0;
  for (uint32_t w : weights) bounds.push_back(total += w);
  return gen::map(gen::inRange<uint32_t>(0, total), [bounds](uint32_t x) {
    return static_cast<size_t>(std::upper_bound(bounds.begin(), bounds.end(), x) - bounds.begin());
  });
}

template <typename T>
rc::Gen<T> FromPool(const std::vector<T>& pool, std::vector<uint32_t> weights) {
  return gen::map(WeightedIndex(std::move(weights), pool.size()),
                  [pool](size_t i) { return pools::Pick(pool, i); });
}

// alice most often, then bob, carol, and the anonymous principal.
rc::Gen<std::string> Principal() { return FromPool(pools::Principals(), {50, 25, 15, 10}); }

// Small ordinals, mostly of IDs the run has already seen; the last ones rarely exist.
template <typename RefT>
rc::Gen<RefT> SmallRef(std::vector<uint32_t> weights) {
  const size_t count = weights.size();
  return gen::map(WeightedIndex(std::move(weights), count),
                  [](size_t i) { return RefT{static_cast<uint32_t>(i + 1)}; });
}
rc::Gen<CapsuleRef> Capsule() { return SmallRef<CapsuleRef>({55, 28, 12, 5}); }
rc::Gen<MemoryRef> Memory() { return SmallRef<MemoryRef>({35, 25, 18, 12, 6, 4}); }
rc::Gen<SessionRef> Session() { return SmallRef<SessionRef>({40, 28, 16, 10, 6}); }

// The empty key often (M2), short keys most often, the 255-byte key and the malformed one less.
rc::Gen<std::string> Key() { return FromPool(pools::Keys(), {18, 32, 20, 10, 12, 3}); }

rc::Gen<Role> AnyRole() { return gen::element(Role::kOwner, Role::kController); }

rc::Gen<Op> GenCreateCapsule(rc::Gen<std::string> caller = Principal()) {
  return gen::apply(
      [](std::string owner, std::string subject) -> Op {
        return op::CreateCapsule{std::move(owner), std::move(subject)};
      },
      std::move(caller), FromPool(pools::Principals(), {40, 30, 20, 10}));
}

// Grants and revokes come mostly from the owner of the first capsule (alice) and name someone
// else, so that access really changes hands.
template <typename AccessOp>
rc::Gen<Op> GenAccess() {
  return gen::apply(
      [](std::string caller, CapsuleRef capsule, std::string principal, Role role) -> Op {
        return AccessOp{std::move(caller), capsule, std::move(principal), role};
      },
      FromPool(pools::Principals(), {75, 12, 8, 5}), SmallRef<CapsuleRef>({70, 18, 8, 4}),
      FromPool(pools::Principals(), {8, 50, 37, 5}), AnyRole());
}

rc::Gen<Op> GenCreateMemory() {
  return gen::apply(
      [](std::string caller, CapsuleRef capsule, MemoryPayload payload, std::string key) -> Op {
        return op::CreateMemory{std::move(caller), capsule, std::move(payload), std::move(key)};
      },
      Principal(), Capsule(), FromPool(pools::MemoryPayloads(), {40, 30, 20, 10}), Key());
}

// GetMemory and DeleteMemory share their shape.
template <typename MemoryOp>
rc::Gen<Op> GenOnMemory() {
  return gen::apply(
      [](std::string caller, CapsuleRef capsule, MemoryRef memory) -> Op {
        return MemoryOp{std::move(caller), capsule, memory};
      },
      Principal(), Capsule(), Memory());
}

// ListMemories, ListGalleries and ListFolders.
template <typename ListOp>
rc::Gen<Op> GenList() {
  return gen::apply(
      [](std::string caller, CapsuleRef capsule) -> Op {
        return ListOp{std::move(caller), capsule};
      },
      Principal(), Capsule());
}

rc::Gen<std::string> GalleryId() { return FromPool(pools::GalleryIds(), {40, 30, 20, 5}); }
rc::Gen<std::string> FolderId() { return FromPool(pools::FolderIds(), {40, 30, 20, 5}); }

rc::Gen<Op> GenCreateGallery() {
  return gen::apply(
      [](std::string caller, CapsuleRef capsule, std::string id, GalleryPayload payload) -> Op {
        return op::CreateGallery{std::move(caller), capsule, std::move(id), std::move(payload)};
      },
      Principal(), Capsule(), GalleryId(), FromPool(pools::GalleryPayloads(), {70, 30}));
}

// GetGallery, DeleteGallery, GetFolder and DeleteFolder: an op on one client-supplied ID.
template <typename NamedOp>
rc::Gen<Op> GenOnNamed(rc::Gen<std::string> id) {
  return gen::apply(
      [](std::string caller, CapsuleRef capsule, std::string named) -> Op {
        return NamedOp{std::move(caller), capsule, std::move(named)};
      },
      Principal(), Capsule(), std::move(id));
}

rc::Gen<Op> GenCreateFolder() {
  // Mostly top-level folders; a parent names a pooled folder ID, which may or may not exist.
  rc::Gen<std::optional<std::string>> parent =
      gen::map(WeightedIndex({60, 20, 12, 5, 3}, pools::FolderIds().size() + 1),
               [](size_t i) -> std::optional<std::string> {
                 if (i == 0) return std::nullopt;
                 return pools::Pick(pools::FolderIds(), i - 1);
               });
  return gen::apply(
      [](std::string caller, CapsuleRef capsule, std::string id, std::string name,
         std::optional<std::string> parent_id) -> Op {
        return op::CreateFolder{std::move(caller), capsule, std::move(id),
                                FolderPayload{std::move(name), std::move(parent_id)}};
      },
      Principal(), Capsule(), FolderId(), FromPool(pools::FolderNames(), {70, 30}),
      std::move(parent));
}

rc::Gen<Op> GenBeginUpload(const Limits& limits) {
  return gen::apply(
      [](std::string caller, CapsuleRef capsule, uint32_t expected, std::string key) -> Op {
        return op::BeginUpload{std::move(caller), capsule, expected, std::move(key)};
      },
      Principal(), Capsule(), FromPool(pools::ExpectedChunks(limits), {40, 30, 20, 5, 5}), Key());
}

rc::Gen<Op> GenPutChunk() {
  // Index 3 is past the end of most sessions; variant 1 is a retry with other bytes.
  return gen::apply(
      [](std::string caller, SessionRef session, size_t index, size_t variant) -> Op {
        const auto i = static_cast<uint32_t>(index);
        return op::PutChunk{std::move(caller), session, i,
                            pools::ChunkBytes(i, static_cast<uint32_t>(variant))};
      },
      Principal(), Session(), WeightedIndex({40, 30, 20, 10}, 4), WeightedIndex({85, 15}, 2));
}

rc::Gen<Op> GenFinishUpload() {
  // The claim for 1..3 well-behaved chunks; now and then a wrong length or digest.
  return gen::apply(
      [](std::string caller, SessionRef session, size_t chunks, size_t lie) -> Op {
        pools::FinishClaim claim = pools::ClaimFor(static_cast<uint32_t>(chunks + 1));
        if (lie == 1) claim.total_len += 1;
        if (lie == 2) claim.digest ^= 1;
        return op::FinishUpload{std::move(caller), session, claim.total_len, claim.digest};
      },
      Principal(), Session(), WeightedIndex({45, 35, 20}, 3), WeightedIndex({80, 10, 10}, 3));
}

rc::Gen<Op> GenAbortUpload() {
  return gen::apply(
      [](std::string caller, SessionRef session) -> Op {
        return op::AbortUpload{std::move(caller), session};
      },
      Principal(), Session());
}

rc::Gen<Op> GenAdvanceClock(const Limits& limits) {
  // Small steps, the TTL and retention windows and their neighbours, rarely one past the limit.
  return gen::map(FromPool(pools::ClockAdvances(limits), {20, 20, 8, 8, 8, 8, 8, 8, 2}),
                  [](uint64_t seconds) -> Op { return op::AdvanceClock{seconds}; });
}

// One generator per alternative of `Op`, in variant order.
std::vector<rc::Gen<Op>> OpGenerators(const Limits& limits) {
  return {
      GenCreateCapsule(),
      GenAccess<op::Grant>(),
      GenAccess<op::Revoke>(),
      GenCreateMemory(),
      GenOnMemory<op::GetMemory>(),
      GenOnMemory<op::DeleteMemory>(),
      GenList<op::ListMemories>(),
      GenCreateGallery(),
      GenOnNamed<op::GetGallery>(GalleryId()),
      GenOnNamed<op::DeleteGallery>(GalleryId()),
      GenList<op::ListGalleries>(),
      GenCreateFolder(),
      GenOnNamed<op::GetFolder>(FolderId()),
      GenOnNamed<op::DeleteFolder>(FolderId()),
      GenList<op::ListFolders>(),
      GenBeginUpload(limits),
      GenPutChunk(),
      GenFinishUpload(),
      GenAbortUpload(),
      GenAdvanceClock(limits),
      gen::just<Op>(op::Upgrade{}),
  };
}

// The operations a client retries: every create, chunk upload and finish.
bool IsRetryable(const Op& op) {
  return std::holds_alternative<op::CreateCapsule>(op) ||
         std::holds_alternative<op::CreateMemory>(op) ||
         std::holds_alternative<op::CreateGallery>(op) ||
         std::holds_alternative<op::CreateFolder>(op) ||
         std::holds_alternative<op::BeginUpload>(op) || std::holds_alternative<op::PutChunk>(op) ||
         std::holds_alternative<op::FinishUpload>(op);
}

// The upload a sequence is most likely in the middle of: the last BeginUpload that looks like it
// starts a new session (valid arguments, in a capsule that the caller most likely created, and
// not a retry of a keyed begin). Its ref is a guess, the number of such begins so far, right
// whenever they all succeeded; "upload" steps continue it as a well-behaved client would.
class UploadContext {
 public:
  explicit UploadContext(const Limits& limits) : limits_(limits) {}

  void Saw(const Op& op) {
    if (const auto* create = std::get_if<op::CreateCapsule>(&op)) {
      // C1: a new capsule unless the caller already made one of that subject.
      if (create->caller != kAnonymous && create->subject != kAnonymous &&
          capsules_made_.insert({create->caller, create->subject}).second) {
        capsule_creators_.push_back(create->caller);
      }
      return;
    }
    const auto* begin = std::get_if<op::BeginUpload>(&op);
    if (begin == nullptr || !IsValidIdemKey(begin->key) || begin->expected_chunks < 1 ||
        begin->expected_chunks > limits_.max_expected_chunks || begin->capsule.n < 1 ||
        begin->capsule.n > capsule_creators_.size() ||
        capsule_creators_[begin->capsule.n - 1] != begin->caller) {
      return;
    }
    if (!begin->key.empty() &&
        !keys_.insert({begin->caller, begin->capsule.n, begin->key}).second) {
      return;  // a retry of a keyed begin: the same session
    }
    current_ = Upload{begin->caller, begin->capsule.n, begin->key, begin->expected_chunks,
                      SessionRef{++begins_}};
  }

  // The next op of the current upload: `roll` (0..99) picks what, `variant` which bytes.
  std::optional<Op> Follow(uint64_t roll, uint64_t variant) {
    if (!current_.has_value()) return std::nullopt;
    Upload& u = *current_;
    if (roll < 55) {  // the next chunk, or once all are sent, a retry of one of them
      const uint32_t index =
          u.chunks < u.expected ? u.chunks++ : static_cast<uint32_t>(variant % u.expected);
      return op::PutChunk{u.caller, u.session, index, pools::ChunkBytes(index, 0)};
    }
    if (roll < 65) {  // a chunk again, with the same or other bytes
      const auto index = static_cast<uint32_t>(variant % std::max<uint32_t>(u.chunks, 1));
      return op::PutChunk{u.caller, u.session, index,
                          pools::ChunkBytes(index, static_cast<uint32_t>(variant / 7 % 2))};
    }
    const pools::FinishClaim claim = pools::ClaimFor(u.expected);
    if (roll < 90) return op::FinishUpload{u.caller, u.session, claim.total_len, claim.digest};
    if (roll < 95) {
      return op::FinishUpload{u.caller, u.session, claim.total_len, claim.digest ^ 1};
    }
    const Op abort = op::AbortUpload{u.caller, u.session};
    keys_.erase({u.caller, u.capsule, u.key});  // an abort releases the key (U5)
    current_.reset();
    return abort;
  }

 private:
  struct Upload {
    std::string caller;
    uint32_t capsule = 0;
    std::string key;
    uint32_t expected = 1;
    SessionRef session;
    uint32_t chunks = 0;  // chunks 0..chunks-1 have been sent
  };

  const Limits& limits_;
  std::set<std::pair<std::string, std::string>> capsules_made_;  // (caller, subject)
  std::vector<std::string> capsule_creators_;  // of c1, c2, ... as far as one can tell
  std::set<std::tuple<std::string, uint32_t, std::string>> keys_;
  uint32_t begins_ = 0;
  std::optional<Upload> current_;
};

// The last Grant of the sequence, which a "revoke" step takes back: the way access is lost
// between a create and its retry.
class GrantContext {
 public:
  void Saw(const Op& op) {
    if (const auto* grant = std::get_if<op::Grant>(&op)) last_ = *grant;
  }
  std::optional<Op> Revoke() const {
    if (!last_.has_value()) return std::nullopt;
    return op::Revoke{last_->caller, last_->capsule, last_->principal, last_->role};
  }
  // `op` made by the last grantee in the capsule of the grant, when it has a caller and a capsule.
  Op AsGrantee(Op op) const {
    if (last_.has_value()) {
      std::visit(
          [&](auto& o) {
            if constexpr (requires {
                            o.caller;
                            o.capsule;
                          }) {
              o.caller = last_->principal;
              o.capsule = last_->capsule;
            }
          },
          op);
    }
    return op;
  }

 private:
  std::optional<op::Grant> last_;
};

enum class StepKind { kFresh, kReplay, kUpload, kRevoke, kGrantee };

// The kind of a step from a roll in 0..99. A kind without context (nothing to replay yet, no
// upload, no grant) falls back to a fresh op.
StepKind KindOf(const Profile& p, uint64_t mode) {
  if (mode < p.replay_percent) return StepKind::kReplay;
  mode -= p.replay_percent;
  if (mode < p.upload_percent) return StepKind::kUpload;
  mode -= p.upload_percent;
  if (mode < p.revoke_percent) return StepKind::kRevoke;
  mode -= p.revoke_percent;
  if (mode < p.grantee_percent) return StepKind::kGrantee;
  return StepKind::kFresh;
}

using Elements = std::vector<rc::Shrinkable<Op>>;

// `count` steps after a prelude of up to two capsules (so that most operations find one), cut
// to `max_ops`. Each step is a fresh op from the profile's weights, a verbatim replay of an
// earlier retryable op, the next op of the current upload, or the revoke of the last grant.
// All but fresh ops are concrete copies, so removing other ops while shrinking never changes
// what they are.
rc::Shrinkable<std::vector<Op>> GenerateSequence(const rc::Gen<Op>& fresh, const Profile& profile,
                                                 const Limits& limits, rc::Random random,
                                                 size_t count, size_t max_ops) {
  // The prelude's first capsule is mostly alice's (the most frequent caller), its second bob's.
  const rc::Gen<Op> capsules[] = {GenCreateCapsule(FromPool(pools::Principals(), {90, 6, 3, 1})),
                                  GenCreateCapsule(FromPool(pools::Principals(), {20, 60, 19, 1}))};
  const uint64_t prelude_roll = random.split().next() % 20;
  const size_t prelude = prelude_roll < 2 ? 0 : prelude_roll < 11 ? 1 : 2;
  Elements elements;
  std::vector<size_t> retryable;  // indices into `elements`
  UploadContext upload(limits);
  GrantContext grant;
  for (size_t i = 0; i < prelude + count && elements.size() < max_ops; ++i) {
    rc::Random r = random.split();
    const uint64_t mode = r.split().next() % 100;
    const uint64_t roll = r.split().next();
    const StepKind kind = i < prelude ? StepKind::kFresh : KindOf(profile, mode);
    std::optional<Op> copy;
    if (kind == StepKind::kReplay && !retryable.empty()) {
      // Half the replays retry one of the last four retryable ops, half any earlier one.
      const size_t span = roll % 2 == 0 ? std::min<size_t>(4, retryable.size()) : retryable.size();
      copy = elements[retryable[retryable.size() - 1 - roll / 2 % span]].value();
    } else if (kind == StepKind::kUpload) {
      copy = upload.Follow(roll % 100, roll / 100);
    } else if (kind == StepKind::kRevoke) {
      copy = grant.Revoke();
    }
    rc::Shrinkable<Op> element = copy.has_value()
                                     ? rc::shrinkable::just(*std::move(copy))
                                     : (i < prelude ? capsules[i] : fresh)(r, rc::kNominalSize);
    if (kind == StepKind::kGrantee) {
      element = rc::shrinkable::map(std::move(element),
                                    [grant](Op op) { return grant.AsGrantee(std::move(op)); });
    }
    const Op op = element.value();
    upload.Saw(op);
    grant.Saw(op);
    if (IsRetryable(op)) retryable.push_back(elements.size());
    elements.push_back(std::move(element));
  }
  return rc::shrinkable::map(
      rc::shrinkable::shrinkRecur(std::move(elements),
                                  [](const Elements& e) {
                                    return rc::seq::concat(
                                        rc::shrink::removeChunks(e),
                                        rc::shrink::eachElement(e, [](const rc::Shrinkable<Op>& s) {
                                          return s.shrinks();
                                        }));
                                  }),
      [](const Elements& e) {
        std::vector<Op> ops;
        ops.reserve(e.size());
        for (const rc::Shrinkable<Op>& s : e) ops.push_back(s.value());
        return ops;
      });
}

rc::Gen<Op> FreshOp(const Profile& profile, const Limits& limits) {
  std::vector<rc::Gen<Op>> kinds = OpGenerators(limits);
  return gen::mapcat(
      WeightedIndex(std::vector<uint32_t>(profile.weights.begin(), profile.weights.end()),
                    kOpKinds),
      [kinds](size_t kind) { return kinds[kind]; });
}

}  // namespace

const std::vector<ProfileInfo>& Profiles() {
  static const auto* infos = [] {
    auto* out = new std::vector<ProfileInfo>;
    for (const Profile& p : ProfileTable()) out->push_back(p.info);
    return out;
  }();
  return *infos;
}

absl::StatusOr<rc::Gen<std::vector<Op>>> GenOps(absl::string_view profile, size_t max_ops,
                                                const Limits& limits) {
  const Profile* p = FindProfile(profile);
  if (p == nullptr) return UnknownProfile(profile);
  const rc::Gen<Op> fresh = FreshOp(*p, limits);
  // RapidCheck's size bounds the length only: values are drawn at the nominal size, since
  // inRange scales with size and would hide the later entries of every pool.
  return rc::Gen<std::vector<Op>>([fresh, p, limits, max_ops](const rc::Random& random, int size) {
    rc::Random r = random;
    const size_t bound = std::min<size_t>(static_cast<size_t>(std::max(size, 0)), max_ops);
    const size_t count = r.split().next() % (bound + 1);
    return GenerateSequence(fresh, *p, limits, r, count, max_ops);
  });
}

absl::StatusOr<std::vector<Op>> SampleOps(uint64_t seed, size_t count, absl::string_view profile,
                                          const Limits& limits) {
  const Profile* p = FindProfile(profile);
  if (p == nullptr) return UnknownProfile(profile);
  return GenerateSequence(FreshOp(*p, limits), *p, limits, rc::Random(seed), count, count).value();
}

}  // namespace idemcheck::properties

namespace rc {
template <>
void show<idemcheck::Op>(const idemcheck::Op& op, std::ostream& os) {
  os << idemcheck::ToString(op);
}
}  // namespace rc
