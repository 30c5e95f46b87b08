#include "tests/impl_test_util.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "idemcheck/pools.h"
#include "tests/scenario.h"

namespace idemcheck::testing {

std::vector<std::string> ImplStores() { return {"impl", "impl/weak-hash"}; }

std::unique_ptr<Store> MakeStore(absl::string_view name, const Limits& limits) {
  absl::StatusOr<std::unique_ptr<Store>> store =
      Registry::Global().Create(name, StoreOptions{.limits = limits});
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

namespace {

const CapsuleRef c1{1};
const CapsuleRef c2{2};
const MemoryRef m2{2};
const SessionRef u1{1};
const SessionRef u2{2};
const SessionRef u3{3};

}  // namespace

std::vector<Op> RichHistory() {
  const pools::FinishClaim claim = pools::ClaimFor(2);
  return {
      op::CreateCapsule{kAlice, kAlice},
      op::Grant{kAlice, c1, kBob, Role::kController},
      op::CreateCapsule{kBob, kBob},
      op::Grant{kBob, c2, kCarol, Role::kOwner},
      op::CreateMemory{kAlice, c1, kPhoto, "k1"},
      op::CreateMemory{kAlice, c1, kNote, "k2"},
      op::CreateMemory{kBob, c1, kPhoto, "k1"},
      op::CreateMemory{kAlice, c1, kNote, ""},
      op::DeleteMemory{kAlice, c1, m2},  // its record stays (M7)
      op::AdvanceClock{600},
      op::CreateMemory{kBob, c2, kNote, "k3"},
      op::CreateGallery{kAlice, c1, kGallery1, GalleryPayload{"summer"}},
      op::CreateGallery{kAlice, c1, kGallery2, GalleryPayload{"winter"}},
      op::DeleteGallery{kAlice, c1, kGallery2},
      op::CreateFolder{kAlice, c1, kFolder1, FolderPayload{"docs", std::nullopt}},
      op::CreateFolder{kAlice, c1, kFolder2, FolderPayload{"old", kFolder1}},
      op::DeleteFolder{kAlice, c1, kFolder2},
      op::BeginUpload{kAlice, c1, 2, "up1"},
      op::PutChunk{kAlice, u1, 0, pools::ChunkBytes(0, 0)},
      op::BeginUpload{kBob, c2, 2, "up2"},
      op::PutChunk{kBob, u2, 0, pools::ChunkBytes(0, 0)},
      op::PutChunk{kBob, u2, 1, pools::ChunkBytes(1, 0)},
      op::FinishUpload{kBob, u2, claim.total_len, claim.digest},
      op::BeginUpload{kAlice, c1, 1, ""},
      op::AdvanceClock{60},
  };
}

std::vector<Op> Probe() {
  const pools::FinishClaim claim = pools::ClaimFor(2);
  const Limits limits;
  std::vector<Op> retries = {
      op::CreateCapsule{kAlice, kAlice},
      op::CreateCapsule{kCarol, kBob},
      op::CreateMemory{kAlice, c1, kPhoto, "k1"},
      op::CreateMemory{kAlice, c1, kNote, "k2"},
      op::CreateMemory{kAlice, c1, kPhoto, "k2"},
      op::CreateMemory{kBob, c1, kPhoto, "k1"},
      op::CreateMemory{kBob, c2, kNote, "k3"},
      op::GetMemory{kAlice, c1, m2},
      op::CreateGallery{kAlice, c1, kGallery1, GalleryPayload{"summer"}},
      op::CreateGallery{kAlice, c1, kGallery2, GalleryPayload{"winter"}},
      op::CreateGallery{kBob, c2, kGallery2, GalleryPayload{"winter"}},
      op::CreateFolder{kAlice, c1, kFolder2, FolderPayload{"old", kFolder1}},
      op::CreateFolder{kAlice, c1, kFolder2, FolderPayload{"new", std::nullopt}},
      op::BeginUpload{kAlice, c1, 2, "up1"},
      op::BeginUpload{kBob, c2, 2, "up2"},
      op::BeginUpload{kBob, c2, 3, "up2"},
      op::PutChunk{kBob, u2, 1, pools::ChunkBytes(1, 0)},
      op::PutChunk{kBob, u2, 1, pools::ChunkBytes(1, 1)},
      op::FinishUpload{kBob, u2, claim.total_len, claim.digest},
      op::ListMemories{kAlice, c1},
      op::ListMemories{kBob, c2},
      op::ListGalleries{kAlice, c1},
      op::ListFolders{kAlice, c1},
  };
  std::vector<Op> probe = retries;
  probe.insert(probe.end(), {
                                op::PutChunk{kAlice, u1, 1, pools::ChunkBytes(1, 0)},
                                op::PutChunk{kAlice, u3, 0, pools::ChunkBytes(0, 0)},
                                op::FinishUpload{kAlice, u1, claim.total_len, claim.digest},
                                op::AbortUpload{kAlice, u3},
                                op::AbortUpload{kAlice, u3},
                                op::Upgrade{},
                            });
  probe.insert(probe.end(), retries.begin(), retries.end());
  // Across the session TTL, then across the retention window of every record and tombstone.
  probe.push_back(op::AdvanceClock{limits.session_ttl_seconds});
  probe.insert(probe.end(), retries.begin(), retries.end());
  probe.push_back(op::AdvanceClock{limits.retention_seconds});
  probe.insert(probe.end(), retries.begin(), retries.end());
  probe.push_back(op::Upgrade{});
  probe.push_back(op::CreateMemory{kAlice, c1, kPhoto, ""});
  probe.push_back(op::BeginUpload{kAlice, c1, 1, ""});
  probe.push_back(op::ListMemories{kAlice, c1});
  return probe;
}

}  // namespace idemcheck::testing
