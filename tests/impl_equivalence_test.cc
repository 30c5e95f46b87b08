// Equivalence of impl (and impl/weak-hash, where every idempotency index collides) with the
// reference on hand-written interleavings, through the differential runner (E1). Each test also
// checks a few of the reference's outcomes, so that the interleaving provably reaches the case it
// is named after.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "idemcheck/ops.h"
#include "idemcheck/pools.h"
#include "idemcheck/printer.h"
#include "idemcheck/runner.h"
#include "tests/impl_test_util.h"
#include "tests/scenario.h"

namespace idemcheck::testing {
namespace {

class Equivalence : public ::testing::TestWithParam<std::string> {
 protected:
  // Runs `ops` on the reference and on the store under test; fails with the runner's report.
  RunResult Run(const Sequence& sequence, const Limits& limits = {}) {
    std::unique_ptr<Store> reference = MakeStore("reference", limits);
    std::unique_ptr<Store> actual = MakeStore(GetParam(), limits);
    RunResult result = RunDifferential(sequence.ops(), *reference, *actual);
    EXPECT_TRUE(result.ok()) << FormatReport(result, "reference", GetParam());
    EXPECT_EQ(result.outcomes.size(), sequence.ops().size());
    return result;
  }
};

const CapsuleRef c1{1};
const CapsuleRef c2{2};
const CapsuleRef c3{3};

TEST_P(Equivalence, M4_retry_storm_replays_one_memory) {
  Sequence s;
  s.Add(op::CreateCapsule{kAlice, kAlice});
  s.Add(op::Grant{kAlice, c1, kBob, Role::kController});
  s.Add(op::CreateCapsule{kBob, kBob});
  std::vector<size_t> replays;
  std::vector<size_t> conflicts;
  size_t after_delete = 0;
  for (int i = 0; i < 60; ++i) {
    replays.push_back(s.Add(op::CreateMemory{kAlice, c1, kPhoto, "storm"}));
    if (i % 5 == 0) conflicts.push_back(s.Add(op::CreateMemory{kAlice, c1, kNote, "storm"}));
    if (i % 7 == 0) s.Add(op::CreateMemory{kBob, c1, kPhoto, "storm"});   // M6: another caller
    if (i % 11 == 0) s.Add(op::CreateMemory{kBob, c2, kPhoto, "storm"});  // M6: another capsule
    s.Add(op::CreateMemory{kAlice, c1, kPhoto, ""});                      // M2
    if (i == 20) s.Add(op::DeleteMemory{kAlice, c1, MemoryRef{1}});
    if (i == 21) after_delete = s.Add(op::GetMemory{kAlice, c1, MemoryRef{1}});
    if (i % 10 == 9) s.Add(op::AdvanceClock{1000});
    if (i == 30 || i == 45) s.Add(op::Upgrade{});
    s.Add(op::ListMemories{kAlice, c1});
  }
  RunResult result = Run(s);
  ASSERT_TRUE(result.ok());
  for (size_t step : replays) EXPECT_EQ(result.outcomes[step], Ok(MemoryRef{1})) << step;
  for (size_t step : conflicts) EXPECT_EQ(result.outcomes[step], Err(Code::kConflict)) << step;
  EXPECT_EQ(result.outcomes[after_delete], Err(Code::kNotFound));  // M7: not resurrected
}

// A record created at t, and one created 100 s later, probed at t + retention + delta.
TEST_P(Equivalence, M8_record_expiry_boundary_and_one_second_either_side) {
  const Limits limits;
  for (const int64_t delta : {-1, 0, 1}) {
    SCOPED_TRACE(::testing::Message() << "retention + " << delta);
    Sequence s;
    s.Add(op::CreateCapsule{kAlice, kAlice});
    s.Add(op::AdvanceClock{7});
    s.Add(op::CreateMemory{kAlice, c1, kPhoto, "early"});
    s.Add(op::AdvanceClock{100});
    s.Add(op::CreateMemory{kAlice, c1, kPhoto, "late"});
    s.Add(op::AdvanceClock{limits.retention_seconds - 1000});
    s.Add(op::Upgrade{});
    s.Add(op::AdvanceClock{static_cast<uint64_t>(1000 - 100 + delta)});
    const size_t early = s.Add(op::CreateMemory{kAlice, c1, kPhoto, "early"});
    const size_t late = s.Add(op::CreateMemory{kAlice, c1, kPhoto, "late"});
    s.Add(op::AdvanceClock{100});
    const size_t late_after = s.Add(op::CreateMemory{kAlice, c1, kNote, "late"});
    s.Add(op::ListMemories{kAlice, c1});
    RunResult result = Run(s);
    ASSERT_TRUE(result.ok());
    // M8: live while now < created_at + retention; a fresh ID at and after that instant.
    EXPECT_EQ(result.outcomes[early], Ok(MemoryRef{delta < 0 ? 1u : 3u}));
    EXPECT_EQ(result.outcomes[late], Ok(MemoryRef{2}));
    EXPECT_EQ(result.outcomes[late_after].code, delta < 0 ? Code::kConflict : Code::kOk);
  }
}

TEST_P(Equivalence, F4_tombstone_expiry_boundary_and_one_second_either_side) {
  const Limits limits;
  for (const int64_t delta : {-1, 0, 1}) {
    SCOPED_TRACE(::testing::Message() << "retention + " << delta);
    Sequence s;
    s.Add(op::CreateCapsule{kAlice, kAlice});
    s.Add(op::CreateCapsule{kBob, kBob});
    s.Add(op::CreateGallery{kAlice, c1, kGallery1, GalleryPayload{"a"}});
    s.Add(op::CreateFolder{kAlice, c1, kFolder1, FolderPayload{"f", std::nullopt}});
    s.Add(op::AdvanceClock{50});
    s.Add(op::DeleteGallery{kAlice, c1, kGallery1});
    s.Add(op::DeleteFolder{kAlice, c1, kFolder1});
    s.Add(op::AdvanceClock{static_cast<uint64_t>(limits.retention_seconds + delta)});
    const size_t other_capsule = s.Add(op::CreateGallery{kBob, c2, kGallery1, GalleryPayload{"a"}});
    const size_t replay = s.Add(op::CreateFolder{kAlice, c1, kFolder1, FolderPayload{"f", {}}});
    const size_t listed = s.Add(op::ListFolders{kAlice, c1});
    s.Add(op::Upgrade{});
    s.Add(op::ListGalleries{kBob, c2});
    s.Add(op::CreateGallery{kAlice, c1, kGallery1, GalleryPayload{"a"}});
    RunResult result = Run(s);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.outcomes[other_capsule].code, delta < 0 ? Code::kConflict : Code::kOk);
    EXPECT_EQ(result.outcomes[replay], Ok());
    // Replaying a tombstone does not resurrect; after the window the ID creates a new folder.
    const auto& folders = std::get<std::vector<FolderEntry>>(result.outcomes[listed].value);
    EXPECT_EQ(folders.size(), delta < 0 ? 0u : 1u);
  }
}

TEST_P(Equivalence, U6_pending_session_ttl_boundary_and_one_second_either_side) {
  const Limits limits;
  for (const int64_t delta : {-1, 0, 1}) {
    SCOPED_TRACE(::testing::Message() << "ttl + " << delta);
    Sequence s;
    s.Add(op::CreateCapsule{kAlice, kAlice});
    s.Add(op::AdvanceClock{3});
    s.Add(op::BeginUpload{kAlice, c1, 2, "up"});
    s.Add(op::PutChunk{kAlice, SessionRef{1}, 0, pools::ChunkBytes(0, 0)});
    s.Add(op::AdvanceClock{static_cast<uint64_t>(limits.session_ttl_seconds + delta)});
    const size_t put = s.Add(op::PutChunk{kAlice, SessionRef{1}, 1, pools::ChunkBytes(1, 0)});
    const size_t begin = s.Add(op::BeginUpload{kAlice, c1, 2, "up"});
    s.Add(op::Upgrade{});
    s.Add(op::PutChunk{kAlice, SessionRef{2}, 0, pools::ChunkBytes(0, 0)});
    s.Add(op::AbortUpload{kAlice, SessionRef{1}});
    RunResult result = Run(s);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.outcomes[put].code, delta < 0 ? Code::kOk : Code::kNotFound);
    EXPECT_EQ(result.outcomes[begin], Ok(SessionRef{delta < 0 ? 1u : 2u}));
  }
}

TEST_P(Equivalence, U6_committed_session_key_follows_retention_from_its_begin) {
  const Limits limits;
  const pools::FinishClaim claim = pools::ClaimFor(1);
  for (const int64_t delta : {-1, 0, 1}) {
    SCOPED_TRACE(::testing::Message() << "retention + " << delta);
    Sequence s;
    s.Add(op::CreateCapsule{kAlice, kAlice});
    s.Add(op::BeginUpload{kAlice, c1, 1, "up"});
    s.Add(op::AdvanceClock{100});
    s.Add(op::PutChunk{kAlice, SessionRef{1}, 0, pools::ChunkBytes(0, 0)});
    s.Add(op::FinishUpload{kAlice, SessionRef{1}, claim.total_len, claim.digest});
    s.Add(op::AdvanceClock{static_cast<uint64_t>(limits.retention_seconds - 100 + delta)});
    const size_t begin = s.Add(op::BeginUpload{kAlice, c1, 1, "up"});
    const size_t finish =
        s.Add(op::FinishUpload{kAlice, SessionRef{1}, claim.total_len, claim.digest});
    const size_t repeat = s.Add(op::PutChunk{kAlice, SessionRef{1}, 0, pools::ChunkBytes(0, 0)});
    s.Add(op::Upgrade{});
    s.Add(op::BeginUpload{kAlice, c1, 1, "up"});
    s.Add(op::FinishUpload{kAlice, SessionRef{1}, claim.total_len, claim.digest});
    RunResult result = Run(s);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.outcomes[begin], Ok(SessionRef{delta < 0 ? 1u : 2u}));
    EXPECT_EQ(result.outcomes[finish], Ok(BlobRef{1}));  // the session itself never expires
    EXPECT_EQ(result.outcomes[repeat], Ok());
  }
}

// A TTL longer than the retention window: a session committed after its key's retention has
// passed releases the key at once.
TEST_P(Equivalence, U6_ttl_longer_than_retention) {
  const Limits limits{.retention_seconds = 100, .session_ttl_seconds = 500};
  Sequence s;
  s.Add(op::CreateCapsule{kAlice, kAlice});
  s.Add(op::BeginUpload{kAlice, c1, 1, "up"});
  s.Add(op::AdvanceClock{150});
  const size_t pending_replay = s.Add(op::BeginUpload{kAlice, c1, 1, "up"});
  s.Add(op::PutChunk{kAlice, SessionRef{1}, 0, pools::ChunkBytes(0, 0)});
  const pools::FinishClaim claim = pools::ClaimFor(1);
  s.Add(op::FinishUpload{kAlice, SessionRef{1}, claim.total_len, claim.digest});
  const size_t after_commit = s.Add(op::BeginUpload{kAlice, c1, 1, "up"});
  s.Add(op::AdvanceClock{400});
  s.Add(op::Upgrade{});
  s.Add(op::BeginUpload{kAlice, c1, 1, "up"});
  s.Add(op::FinishUpload{kAlice, SessionRef{1}, claim.total_len, claim.digest});
  RunResult result = Run(s, limits);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.outcomes[pending_replay], Ok(SessionRef{1}));
  EXPECT_EQ(result.outcomes[after_commit], Ok(SessionRef{2}));
}

// Windows of zero seconds: every record, tombstone and pending session expires the moment it
// is created.
TEST_P(Equivalence, M8_F4_U6_zero_windows_expire_at_once) {
  const Limits limits{.retention_seconds = 0, .session_ttl_seconds = 0};
  Sequence s;
  s.Add(op::CreateCapsule{kAlice, kAlice});
  s.Add(op::CreateMemory{kAlice, c1, kPhoto, "k"});
  const size_t memory = s.Add(op::CreateMemory{kAlice, c1, kNote, "k"});
  s.Add(op::CreateGallery{kAlice, c1, kGallery1, GalleryPayload{"a"}});
  s.Add(op::DeleteGallery{kAlice, c1, kGallery1});
  const size_t gallery = s.Add(op::CreateGallery{kAlice, c1, kGallery1, GalleryPayload{"b"}});
  s.Add(op::BeginUpload{kAlice, c1, 1, "up"});
  const size_t put = s.Add(op::PutChunk{kAlice, SessionRef{1}, 0, pools::ChunkBytes(0, 0)});
  const size_t session = s.Add(op::BeginUpload{kAlice, c1, 1, "up"});
  s.Add(op::Upgrade{});
  s.Add(op::CreateMemory{kAlice, c1, kNote, "k"});
  s.Add(op::ListGalleries{kAlice, c1});
  RunResult result = Run(s, limits);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.outcomes[memory], Ok(MemoryRef{2}));
  EXPECT_EQ(result.outcomes[gallery], Ok());
  EXPECT_EQ(result.outcomes[put], Err(Code::kNotFound));
  EXPECT_EQ(result.outcomes[session], Ok(SessionRef{2}));
}

// An upload with an Upgrade after step p, for every p, and one with an Upgrade after every step:
// chunks, retries and the finish survive, and IDs handed out afterwards are fresh (T2).
TEST_P(Equivalence, T2_upgrade_in_the_middle_of_an_upload) {
  const pools::FinishClaim claim = pools::ClaimFor(3);
  const std::vector<Op> upload = {
      op::CreateCapsule{kAlice, kAlice},
      op::CreateMemory{kAlice, c1, kPhoto, "m"},
      op::BeginUpload{kAlice, c1, 3, "up"},
      op::PutChunk{kAlice, SessionRef{1}, 0, pools::ChunkBytes(0, 0)},
      op::PutChunk{kAlice, SessionRef{1}, 2, pools::ChunkBytes(2, 0)},
      op::BeginUpload{kAlice, c1, 3, "up"},
      op::PutChunk{kAlice, SessionRef{1}, 0, pools::ChunkBytes(0, 0)},
      op::PutChunk{kAlice, SessionRef{1}, 2, pools::ChunkBytes(2, 1)},
      op::FinishUpload{kAlice, SessionRef{1}, claim.total_len, claim.digest},
      op::PutChunk{kAlice, SessionRef{1}, 1, pools::ChunkBytes(1, 0)},
      op::FinishUpload{kAlice, SessionRef{1}, claim.total_len + 1, claim.digest},
      op::FinishUpload{kAlice, SessionRef{1}, claim.total_len, claim.digest},
      op::FinishUpload{kAlice, SessionRef{1}, claim.total_len, claim.digest},
      op::PutChunk{kAlice, SessionRef{1}, 1, pools::ChunkBytes(1, 0)},
      op::BeginUpload{kAlice, c1, 3, "up"},
      op::BeginUpload{kAlice, c1, 1, ""},
      op::CreateMemory{kAlice, c1, kPhoto, "m"},
      op::CreateMemory{kAlice, c1, kNote, ""},
      op::CreateCapsule{kBob, kBob},
  };
  for (size_t p = 0; p <= upload.size(); ++p) {
    SCOPED_TRACE(::testing::Message() << "upgrade after step " << p);
    Sequence s;
    for (size_t i = 0; i < upload.size(); ++i) {
      if (i == p) s.Add(op::Upgrade{});
      s.Add(upload[i]);
    }
    Run(s);
  }
  Sequence every;
  for (const Op& op : upload) {
    every.Add(op);
    every.Add(op::Upgrade{});
  }
  RunResult result = Run(every);
  ASSERT_TRUE(result.ok());
  // Fresh IDs after upgrades: a second session, a second blob-free memory, a second capsule.
  EXPECT_EQ(result.outcomes[2 * 15], Ok(SessionRef{2}));
  EXPECT_EQ(result.outcomes[2 * 17], Ok(MemoryRef{2}));
  EXPECT_EQ(result.outcomes[2 * 18], Ok(CapsuleRef{2}));
}

TEST_P(Equivalence, A2_grants_and_revokes_between_retries) {
  const pools::FinishClaim claim = pools::ClaimFor(1);
  Sequence s;
  s.Add(op::CreateCapsule{kAlice, kAlice});
  s.Add(op::Grant{kAlice, c1, kBob, Role::kController});
  const size_t first = s.Add(op::CreateMemory{kBob, c1, kPhoto, "k"});
  s.Add(op::BeginUpload{kBob, c1, 1, "up"});
  s.Add(op::Revoke{kAlice, c1, kBob, Role::kController});
  const size_t revoked = s.Add(op::CreateMemory{kBob, c1, kPhoto, "k"});  // G3
  const size_t revoked_put = s.Add(op::PutChunk{kBob, SessionRef{1}, 0, pools::ChunkBytes(0, 0)});
  s.Add(op::CreateMemory{kBob, c1, kNote, "k"});
  s.Add(op::Upgrade{});
  s.Add(op::Grant{kAlice, c1, kBob, Role::kOwner});
  const size_t regranted = s.Add(op::CreateMemory{kBob, c1, kPhoto, "k"});
  s.Add(op::PutChunk{kBob, SessionRef{1}, 0, pools::ChunkBytes(0, 0)});
  s.Add(op::Revoke{kAlice, c1, kAlice, Role::kOwner});
  s.Add(op::CreateMemory{kAlice, c1, kPhoto, "k"});
  s.Add(op::Revoke{kBob, c1, kBob, Role::kOwner});  // the last owner: Conflict
  s.Add(op::Grant{kBob, c1, kAlice, Role::kController});
  s.Add(op::CreateMemory{kAlice, c1, kPhoto, "k"});
  s.Add(op::FinishUpload{kBob, SessionRef{1}, claim.total_len, claim.digest});
  s.Add(op::Revoke{kBob, c1, kAlice, Role::kController});
  s.Add(op::FinishUpload{kBob, SessionRef{1}, claim.total_len, claim.digest});
  s.Add(op::ListMemories{kBob, c1});
  RunResult result = Run(s);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.outcomes[first], Ok(MemoryRef{1}));
  EXPECT_EQ(result.outcomes[revoked], Err(Code::kUnauthorized));
  EXPECT_EQ(result.outcomes[revoked_put], Err(Code::kUnauthorized));
  EXPECT_EQ(result.outcomes[regranted], Ok(MemoryRef{1}));
}

// C1 answers with the oldest capsule of the subject the caller owns, and follows grants.
TEST_P(Equivalence, C1_capsule_retries_follow_ownership) {
  Sequence s;
  s.Add(op::CreateCapsule{kAlice, "subject"});
  s.Add(op::CreateCapsule{kBob, "subject"});
  s.Add(op::CreateCapsule{kCarol, "subject"});
  s.Add(op::Grant{kCarol, c3, kBob, Role::kOwner});
  const size_t still_own = s.Add(op::CreateCapsule{kBob, "subject"});
  s.Add(op::Grant{kAlice, c1, kBob, Role::kOwner});
  const size_t oldest = s.Add(op::CreateCapsule{kBob, "subject"});
  s.Add(op::Upgrade{});
  s.Add(op::CreateCapsule{kBob, "subject"});
  s.Add(op::Revoke{kAlice, c1, kBob, Role::kOwner});
  s.Add(op::Revoke{kBob, c2, kBob, Role::kOwner});  // the last owner: Conflict
  s.Add(op::Grant{kBob, c2, kAlice, Role::kOwner});
  s.Add(op::Revoke{kAlice, c2, kBob, Role::kOwner});
  const size_t next = s.Add(op::CreateCapsule{kBob, "subject"});
  s.Add(op::Grant{kCarol, c3, kBob, Role::kController});
  s.Add(op::CreateCapsule{kBob, "other"});
  s.Add(op::CreateCapsule{kAlice, "subject"});
  RunResult result = Run(s);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.outcomes[still_own], Ok(c2));
  EXPECT_EQ(result.outcomes[oldest], Ok(c1));
  EXPECT_EQ(result.outcomes[next], Ok(c3));
}

// Many keys in overlapping scopes: under impl/weak-hash every lookup walks a collision chain and
// only full comparison tells the records apart (M9).
TEST_P(Equivalence, M9_many_keys_in_overlapping_scopes) {
  Sequence s;
  s.Add(op::CreateCapsule{kAlice, kAlice});
  s.Add(op::Grant{kAlice, c1, kBob, Role::kController});
  s.Add(op::CreateCapsule{kBob, kBob});
  s.Add(op::Grant{kBob, c2, kAlice, Role::kOwner});
  const std::vector<std::string> callers = {kAlice, kBob};
  std::vector<Op> creates;
  for (int k = 0; k < 40; ++k) {
    for (const CapsuleRef capsule : {c1, c2}) {
      for (const std::string& caller : callers) {
        const std::string key = "key-" + std::to_string(k);
        creates.push_back(op::CreateMemory{caller, capsule, k % 2 ? kPhoto : kNote, key});
        creates.push_back(op::BeginUpload{caller, capsule, 1u + k % 3, key});
      }
    }
  }
  s.Append(creates);
  s.Add(op::DeleteMemory{kAlice, c1, MemoryRef{5}});
  s.Add(op::Upgrade{});
  for (auto it = creates.rbegin(); it != creates.rend(); ++it) s.Add(*it);
  for (const Op& op : creates) {
    if (const auto* create = std::get_if<op::CreateMemory>(&op)) {
      op::CreateMemory other = *create;
      other.payload.content += "!";
      s.Add(other);  // M5
    }
  }
  s.Add(op::AdvanceClock{Limits{}.retention_seconds});
  s.Append(creates);
  Run(s);
}

TEST_P(Equivalence, U2_pending_limit_between_retries) {
  const Limits limits{.max_pending_sessions = 3};
  const pools::FinishClaim claim = pools::ClaimFor(1);
  Sequence s;
  s.Add(op::CreateCapsule{kAlice, kAlice});
  for (const char* key : {"a", "b", "c"}) s.Add(op::BeginUpload{kAlice, c1, 1, key});
  const size_t full = s.Add(op::BeginUpload{kAlice, c1, 1, "d"});
  const size_t replay = s.Add(op::BeginUpload{kAlice, c1, 1, "a"});
  s.Add(op::BeginUpload{kAlice, c1, 1, ""});
  s.Add(op::AbortUpload{kAlice, SessionRef{2}});
  s.Add(op::BeginUpload{kAlice, c1, 1, "d"});
  s.Add(op::Upgrade{});
  s.Add(op::BeginUpload{kAlice, c1, 1, "e"});
  s.Add(op::PutChunk{kAlice, SessionRef{1}, 0, pools::ChunkBytes(0, 0)});
  s.Add(op::FinishUpload{kAlice, SessionRef{1}, claim.total_len, claim.digest});
  s.Add(op::BeginUpload{kAlice, c1, 1, "e"});
  s.Add(op::BeginUpload{kAlice, c1, 1, "f"});
  s.Add(op::AdvanceClock{limits.session_ttl_seconds});
  for (const char* key : {"a", "b", "c", "d", "e", "f"}) s.Add(op::BeginUpload{kAlice, c1, 1, key});
  RunResult result = Run(s, limits);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.outcomes[full], Err(Code::kResourceExhausted));
  EXPECT_EQ(result.outcomes[replay], Ok(SessionRef{1}));
}

// Every create and retry of the rich history, then the probe: all state kinds at once.
TEST_P(Equivalence, E1_rich_history_and_probe) {
  Sequence s;
  s.Append(RichHistory());
  s.Append(Probe());
  Run(s);
}

INSTANTIATE_TEST_SUITE_P(Impl, Equivalence, ::testing::ValuesIn(ImplStores()),
                         [](const auto& param_info) { return StoreTestName(param_info.param); });

}  // namespace
}  // namespace idemcheck::testing
