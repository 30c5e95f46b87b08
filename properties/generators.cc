#include "properties/generators.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
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

// How often each operation appears, in the order of the `Op` variant, and how often a step
// re-issues an earlier create instead (percent).
struct Profile {
  ProfileInfo info;
  std::array<uint32_t, kOpKinds> weights;
  uint32_t replay_percent;
};

// clang-format off
//   CreateCapsule Grant Revoke | CreateMemory Get Delete List | CreateGallery Get Delete List |
//   CreateFolder Get Delete List | BeginUpload PutChunk Finish Abort | AdvanceClock Upgrade
const std::vector<Profile>& ProfileTable() {
  static const auto* table = new std::vector<Profile>{
      {{"mixed", "every operation of SEMANTICS.md; the default and what P13 runs"},
       {8, 3, 2,  14, 3, 3, 2,  5, 2, 2, 1,  5, 2, 2, 1,  6, 8, 5, 2,  5, 2}, 15},
      {{"memories", "memory creates, reads and deletes with grants, revokes, clock and Upgrade"},
       {7, 3, 2,  30, 5, 6, 4,  0, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 0,  6, 3}, 15},
      {{"named", "galleries and folders: client-supplied UUIDs, parents, tombstones"},
       {7, 2, 1,  0, 0, 0, 0,  15, 4, 5, 3,  15, 4, 5, 3,  0, 0, 0, 0,  4, 2}, 15},
      {{"uploads", "chunked uploads: begin, chunk retries with same and other bytes, finish, "
                   "abort"},
       {7, 2, 2,  0, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 0,  18, 24, 14, 5,  5, 3}, 20},
      {{"access", "grants and revokes between retries, callers without access, the anonymous "
                  "one"},
       {8, 12, 10,  16, 4, 3, 3,  4, 2, 2, 1,  4, 2, 2, 1,  6, 6, 4, 2,  2, 2}, 20},
      {{"clock", "creates and retries around the retention and session TTL boundaries"},
       {7, 2, 1,  16, 4, 4, 3,  5, 2, 3, 2,  4, 2, 2, 1,  6, 6, 4, 2,  18, 3}, 25},
      {{"replay", "creates of every kind, re-issued often: a retry storm"},
       {7, 2, 0,  16, 2, 3, 2,  8, 1, 3, 1,  8, 1, 3, 1,  8, 8, 5, 1,  3, 3}, 45},
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

rc::Gen<Op> GenCreateCapsule() {
  return gen::apply(
      [](std::string caller, std::string subject) -> Op {
        return op::CreateCapsule{std::move(caller), std::move(subject)};
      },
      Principal(), FromPool(pools::Principals(), {40, 30, 20, 10}));
}

template <typename AccessOp>
rc::Gen<Op> GenAccess() {
  return gen::apply(
      [](std::string caller, CapsuleRef capsule, std::string principal, Role role) -> Op {
        return AccessOp{std::move(caller), capsule, std::move(principal), role};
      },
      Principal(), Capsule(), Principal(), AnyRole());
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

// A step of a sequence: a fresh op, or a replay of the `replay`-th most recent earlier create
// (counting from 1; 0 means fresh). The fresh op stands in when there is nothing to replay.
struct Step {
  Op op;
  uint32_t replay = 0;
};

rc::Gen<Step> GenStep(const Profile& profile, const Limits& limits) {
  std::vector<rc::Gen<Op>> kinds = OpGenerators(limits);
  rc::Gen<Op> fresh = gen::mapcat(
      WeightedIndex(std::vector<uint32_t>(profile.weights.begin(), profile.weights.end()),
                    kOpKinds),
      [kinds](size_t kind) { return kinds[kind]; });
  // Replays shrink toward fresh steps and toward the most recent create.
  rc::Gen<uint32_t> replay =
      gen::mapcat(WeightedIndex({100 - profile.replay_percent, profile.replay_percent}, 2),
                  [](size_t replayed) {
                    return replayed == 0 ? gen::just<uint32_t>(0) : gen::inRange<uint32_t>(1, 9);
                  });
  return gen::apply(
      [](Op op, uint32_t back) {
        return Step{std::move(op), back};
      },
      std::move(fresh), std::move(replay));
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

std::vector<Op> Resolve(const std::vector<Step>& steps) {
  std::vector<Op> ops;
  std::vector<size_t> retryable;  // indices into `ops`
  ops.reserve(steps.size());
  for (const Step& step : steps) {
    if (step.replay != 0 && !retryable.empty()) {
      const size_t back = (step.replay - 1) % retryable.size();
      ops.push_back(ops[retryable[retryable.size() - 1 - back]]);
    } else {
      ops.push_back(step.op);
    }
    if (IsRetryable(ops.back())) retryable.push_back(ops.size() - 1);
  }
  return ops;
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
  rc::Gen<Step> step = GenStep(*p, limits);
  const int cap = static_cast<int>(std::min<size_t>(max_ops, 1 << 20));
  return gen::withSize([step, cap](int size) {
    return gen::map(gen::resize(std::min(size, cap), gen::container<std::vector<Step>>(step)),
                    &Resolve);
  });
}

absl::StatusOr<std::vector<Op>> SampleOps(uint64_t seed, size_t count, absl::string_view profile,
                                          const Limits& limits) {
  const Profile* p = FindProfile(profile);
  if (p == nullptr) return UnknownProfile(profile);
  rc::Gen<std::vector<Step>> steps = gen::container<std::vector<Step>>(count, GenStep(*p, limits));
  return Resolve(steps(rc::Random(seed), rc::kNominalSize).value());
}

}  // namespace idemcheck::properties

namespace rc {
template <>
void show<idemcheck::Op>(const idemcheck::Op& op, std::ostream& os) {
  os << idemcheck::ToString(op);
}
}  // namespace rc
