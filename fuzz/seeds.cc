#include "fuzz/seeds.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "idemcheck/pools.h"

namespace idemcheck::fuzz {
namespace {

const std::string kAlice = "alice";
const std::string kBob = "bob";
const std::string kCarol = "carol";
const std::string kAnon(kAnonymous);

const Limits kLimits;
const uint64_t kRetention = kLimits.retention_seconds;
const uint64_t kTtl = kLimits.session_ttl_seconds;
const uint64_t kTooFar = kLimits.max_clock_advance_seconds + 1;

CapsuleRef C(uint32_t n) { return CapsuleRef{n}; }
MemoryRef M(uint32_t n) { return MemoryRef{n}; }
SessionRef U(uint32_t n) { return SessionRef{n}; }

// Pool values by index (pools.h): payloads 0 and 1 share a title, 0 and 2 a content.
const MemoryPayload& Payload(size_t i) { return pools::MemoryPayloads().at(i); }
const std::string& Key(size_t i) { return pools::Keys().at(i); }
const std::string kNoKey;
const std::string& K1 = Key(1);
const std::string& K2 = Key(2);
const std::string& kLongKey = Key(4);
const std::string& kBadKey = Key(5);
const std::string& Gallery(size_t i) { return pools::GalleryIds().at(i); }
const GalleryPayload& Album(size_t i) { return pools::GalleryPayloads().at(i); }
const std::string& Folder(size_t i) { return pools::FolderIds().at(i); }
FolderPayload Dir(size_t name, std::optional<size_t> parent = std::nullopt) {
  return FolderPayload{pools::FolderNames().at(name),
                       parent ? std::optional<std::string>(Folder(*parent)) : std::nullopt};
}

op::PutChunk Put(const std::string& caller, SessionRef session, uint32_t index,
                 uint32_t variant = 0) {
  return op::PutChunk{caller, session, index, pools::ChunkBytes(index, variant)};
}
// FinishUpload claiming the bytes of `chunks` well-behaved chunks.
op::FinishUpload Finish(const std::string& caller, SessionRef session, uint32_t chunks) {
  const pools::FinishClaim claim = pools::ClaimFor(chunks);
  return op::FinishUpload{caller, session, claim.total_len, claim.digest};
}
op::AdvanceClock Advance(uint64_t seconds) { return op::AdvanceClock{seconds}; }

Seed Make(std::string name, std::vector<Op> ops, StoreSetup setup = {},
          std::vector<Fault> faults = {}) {
  return Seed{std::move(name), FuzzInput{setup, std::move(ops), std::move(faults)}};
}

std::vector<Seed> CapsuleAndAccessSeeds() {
  return {
      Make("C1_C2_capsules_are_idempotent_on_caller_and_subject",
           {op::CreateCapsule{kAlice, kAlice}, op::CreateCapsule{kAlice, kAlice},
            op::CreateCapsule{kAlice, kBob}, op::CreateCapsule{kBob, kAlice},
            op::Grant{kAlice, C(1), kBob, Role::kController}, op::CreateCapsule{kBob, kAlice},
            op::Grant{kAlice, C(1), kCarol, Role::kOwner}, op::CreateCapsule{kCarol, kAlice},
            op::CreateCapsule{kAnon, kAlice}, op::CreateCapsule{kAlice, kAnon}}),
      Make(
          "A2_only_owners_grant_and_the_last_owner_stays",
          {op::CreateCapsule{kAlice, kAlice}, op::Grant{kBob, C(1), kCarol, Role::kOwner},
           op::Grant{kAlice, C(1), kBob, Role::kOwner}, op::Grant{kAlice, C(1), kBob, Role::kOwner},
           op::Revoke{kAlice, C(1), kCarol, Role::kController},
           op::Revoke{kBob, C(1), kAlice, Role::kOwner}, op::Revoke{kBob, C(1), kBob, Role::kOwner},
           op::Grant{kBob, C(1), kAnon, Role::kController}, op::ListMemories{kAlice, C(1)},
           op::ListMemories{kBob, C(1)}}),
      Make("A1_G3_controllers_have_access_until_revoked",
           {op::CreateCapsule{kAlice, kCarol}, op::Grant{kAlice, C(1), kBob, Role::kController},
            op::CreateMemory{kBob, C(1), Payload(0), K1}, op::ListMemories{kCarol, C(1)},
            op::ListMemories{kAlice, C(1)}, op::Revoke{kAlice, C(1), kBob, Role::kController},
            op::GetMemory{kBob, C(1), M(1)}, op::CreateMemory{kBob, C(1), Payload(0), K1},
            op::CreateMemory{kBob, C(1), Payload(1), K1},
            op::Grant{kAlice, C(1), kBob, Role::kController},
            op::CreateMemory{kBob, C(1), Payload(0), K1}}),
      Make("G2_unknown_capsule_is_not_found",
           {op::CreateMemory{kAlice, C(1), Payload(0), K1}, op::GetMemory{kAlice, C(0), M(1)},
            op::CreateGallery{kAlice, C(2), Gallery(0), Album(0)},
            op::CreateFolder{kAlice, C(3), Folder(0), Dir(0)}, op::BeginUpload{kAlice, C(1), 1, K1},
            op::Grant{kAlice, C(1), kBob, Role::kOwner}, op::CreateCapsule{kAlice, kAlice},
            op::ListFolders{kAlice, C(2)}, op::ListGalleries{kAlice, C(1)}}),
      Make("G3_unauthorized_caller_learns_nothing",
           {op::CreateCapsule{kAlice, kAlice}, op::CreateMemory{kAlice, C(1), Payload(0), K1},
            op::CreateMemory{kBob, C(1), Payload(0), K1},
            op::CreateMemory{kBob, C(1), Payload(1), K1}, op::GetMemory{kBob, C(1), M(1)},
            op::DeleteMemory{kBob, C(1), M(1)},
            op::CreateGallery{kAlice, C(1), Gallery(0), Album(0)},
            op::CreateGallery{kBob, C(1), Gallery(0), Album(1)},
            op::DeleteGallery{kBob, C(1), Gallery(0)}, op::BeginUpload{kAlice, C(1), 1, K1},
            op::BeginUpload{kBob, C(1), 2, K1}, Put(kBob, U(1), 0), op::ListMemories{kAnon, C(1)}}),
  };
}

std::vector<Seed> MemorySeeds() {
  return {
      Make("M2_M3_M4_keys_decide_new_or_replayed",
           {op::CreateCapsule{kAlice, kAlice}, op::CreateMemory{kAlice, C(1), Payload(0), kNoKey},
            op::CreateMemory{kAlice, C(1), Payload(0), kNoKey},
            op::CreateMemory{kAlice, C(1), Payload(0), K1},
            op::CreateMemory{kAlice, C(1), Payload(0), K1},
            op::CreateMemory{kAlice, C(1), Payload(0), K2},
            op::CreateMemory{kAlice, C(1), Payload(0), kLongKey},
            op::CreateMemory{kAlice, C(1), Payload(0), kLongKey}, op::ListMemories{kAlice, C(1)}}),
      Make("M5_same_key_other_payload_conflicts",
           {op::CreateCapsule{kAlice, kAlice}, op::CreateMemory{kAlice, C(1), Payload(0), K1},
            op::CreateMemory{kAlice, C(1), Payload(1), K1},
            op::CreateMemory{kAlice, C(1), Payload(2), K1},
            op::CreateMemory{kAlice, C(1), Payload(3), K1},
            op::CreateMemory{kAlice, C(1), Payload(0), K1}, op::ListMemories{kAlice, C(1)}}),
      Make("M6_key_scope_is_capsule_and_caller",
           {op::CreateCapsule{kAlice, kAlice}, op::CreateCapsule{kAlice, kBob},
            op::Grant{kAlice, C(1), kBob, Role::kController},
            op::CreateMemory{kAlice, C(1), Payload(0), K1},
            op::CreateMemory{kAlice, C(2), Payload(0), K1},
            op::CreateMemory{kBob, C(1), Payload(0), K1},
            op::CreateMemory{kBob, C(1), Payload(1), K2},
            op::CreateMemory{kAlice, C(1), Payload(1), K2}, op::ListMemories{kAlice, C(1)},
            op::ListMemories{kAlice, C(2)}}),
      Make("M7_retry_after_delete_does_not_resurrect",
           {op::CreateCapsule{kAlice, kAlice}, op::CreateMemory{kAlice, C(1), Payload(0), K1},
            op::DeleteMemory{kAlice, C(1), M(1)}, op::CreateMemory{kAlice, C(1), Payload(0), K1},
            op::GetMemory{kAlice, C(1), M(1)}, op::CreateMemory{kAlice, C(1), Payload(1), K1},
            op::DeleteMemory{kAlice, C(1), M(1)}, op::ListMemories{kAlice, C(1)}}),
      Make("M8_record_expires_at_created_at_plus_retention",
           {op::CreateCapsule{kAlice, kAlice}, op::CreateMemory{kAlice, C(1), Payload(0), K1},
            Advance(kRetention - 1), op::CreateMemory{kAlice, C(1), Payload(1), K1},
            op::CreateMemory{kAlice, C(1), Payload(0), K1}, Advance(1),
            op::CreateMemory{kAlice, C(1), Payload(0), K1},
            op::CreateMemory{kAlice, C(1), Payload(1), K1}, op::ListMemories{kAlice, C(1)}}),
      Make("M8_expired_key_takes_another_payload",
           {op::CreateCapsule{kAlice, kAlice}, op::CreateMemory{kAlice, C(1), Payload(0), K1},
            op::DeleteMemory{kAlice, C(1), M(1)}, Advance(kRetention),
            op::CreateMemory{kAlice, C(1), Payload(1), K1},
            op::CreateMemory{kAlice, C(1), Payload(1), K1}, op::ListMemories{kAlice, C(1)}}),
      Make("M9_colliding_lookup_hash_compares_in_full",
           {op::CreateCapsule{kAlice, kAlice}, op::CreateCapsule{kAlice, kBob},
            op::CreateMemory{kAlice, C(1), Payload(0), K1},
            op::CreateMemory{kAlice, C(1), Payload(1), K2},
            op::CreateMemory{kAlice, C(1), Payload(2), Key(3)},
            op::CreateMemory{kAlice, C(1), Payload(3), kLongKey},
            op::CreateMemory{kAlice, C(2), Payload(1), K1},
            op::CreateMemory{kAlice, C(1), Payload(1), K1},
            op::CreateMemory{kAlice, C(1), Payload(1), K2},
            op::CreateMemory{kAlice, C(1), Payload(0), K2},
            op::CreateMemory{kAlice, C(2), Payload(1), K1}, op::BeginUpload{kAlice, C(1), 1, K1},
            op::BeginUpload{kAlice, C(1), 2, K2}, op::BeginUpload{kAlice, C(1), 2, K1},
            op::BeginUpload{kAlice, C(1), 2, K2}, op::ListMemories{kAlice, C(1)}},
           StoreSetup{.weak_lookup_hash = true}),
      Make("G1_G4_G5_invalid_arguments_come_first_and_change_nothing",
           {op::CreateCapsule{kAlice, kAlice}, op::CreateMemory{kAlice, C(1), Payload(0), kBadKey},
            op::CreateMemory{kBob, C(1), Payload(0), kBadKey},
            op::CreateMemory{kAnon, C(1), Payload(0), K1},
            op::CreateMemory{kBob, C(0), Payload(0), kBadKey},
            op::CreateMemory{kAlice, C(1), Payload(3), K1},
            op::CreateMemory{kAlice, C(1), Payload(0), K1},
            op::BeginUpload{kAlice, C(1), 1, kBadKey}, op::BeginUpload{kAlice, C(1), 1, K1},
            op::ListMemories{kAlice, C(1)}}),
  };
}

std::vector<Seed> ReadSeeds() {
  return {
      Make("R1_R2_R3_reads_and_deletes_stay_in_their_capsule",
           {op::CreateCapsule{kAlice, kAlice},
            op::CreateCapsule{kAlice, kBob},
            op::CreateMemory{kAlice, C(1), Payload(0), kNoKey},
            op::CreateMemory{kAlice, C(2), Payload(1), kNoKey},
            op::CreateMemory{kAlice, C(1), Payload(2), kNoKey},
            op::GetMemory{kAlice, C(2), M(1)},
            op::DeleteMemory{kAlice, C(2), M(1)},
            op::DeleteMemory{kAlice, C(1), M(1)},
            op::DeleteMemory{kAlice, C(1), M(1)},
            op::GetMemory{kAlice, C(1), M(3)},
            op::GetMemory{kAlice, C(1), M(7)},
            op::ListMemories{kAlice, C(1)},
            op::ListMemories{kAlice, C(2)},
            op::CreateGallery{kAlice, C(1), Gallery(0), Album(0)},
            op::GetGallery{kAlice, C(2), Gallery(0)},
            op::DeleteGallery{kAlice, C(2), Gallery(0)},
            op::CreateFolder{kAlice, C(2), Folder(0), Dir(0)},
            op::GetFolder{kAlice, C(1), Folder(0)},
            op::DeleteFolder{kAlice, C(1), Folder(0)},
            op::ListGalleries{kAlice, C(1)},
            op::ListFolders{kAlice, C(2)}}),
      Make("T1_rejected_advance_moves_nothing",
           {op::CreateCapsule{kAlice, kAlice}, op::CreateMemory{kAlice, C(1), Payload(0), K1},
            Advance(kTooFar), op::CreateMemory{kAlice, C(1), Payload(1), K1}, Advance(kRetention),
            op::CreateMemory{kAlice, C(1), Payload(1), K1}, op::ListMemories{kAlice, C(1)}}),
  };
}

std::vector<Seed> GalleryAndFolderSeeds() {
  return {
      Make("F1_F2_F3_galleries_are_idempotent_on_their_global_id",
           {op::CreateCapsule{kAlice, kAlice}, op::CreateCapsule{kAlice, kBob},
            op::CreateGallery{kAlice, C(1), Gallery(0), Album(0)},
            op::CreateGallery{kAlice, C(1), Gallery(0), Album(0)},
            op::CreateGallery{kAlice, C(1), Gallery(0), Album(1)},
            op::CreateGallery{kAlice, C(2), Gallery(0), Album(0)},
            op::CreateGallery{kAlice, C(1), Gallery(3), Album(0)},
            op::Grant{kAlice, C(1), kBob, Role::kController},
            op::CreateGallery{kBob, C(1), Gallery(0), Album(0)},
            op::CreateGallery{kAlice, C(2), Gallery(1), Album(1)},
            op::GetGallery{kAlice, C(1), Gallery(0)}, op::ListGalleries{kAlice, C(1)},
            op::ListGalleries{kAlice, C(2)}}),
      Make(
          "F4_gallery_tombstone_holds_the_id_for_the_window",
          {op::CreateCapsule{kAlice, kAlice}, op::CreateGallery{kAlice, C(1), Gallery(0), Album(0)},
           op::DeleteGallery{kAlice, C(1), Gallery(0)},
           op::CreateGallery{kAlice, C(1), Gallery(0), Album(0)},
           op::GetGallery{kAlice, C(1), Gallery(0)},
           op::CreateGallery{kAlice, C(1), Gallery(0), Album(1)}, Advance(kRetention - 1),
           op::CreateGallery{kAlice, C(1), Gallery(0), Album(1)}, Advance(1),
           op::CreateGallery{kAlice, C(1), Gallery(0), Album(1)},
           op::DeleteGallery{kAlice, C(1), Gallery(0)}, op::DeleteGallery{kAlice, C(1), Gallery(0)},
           op::ListGalleries{kAlice, C(1)}}),
      Make("F2_F3_F4_folders_are_idempotent_on_their_id",
           {op::CreateCapsule{kAlice, kAlice}, op::CreateFolder{kAlice, C(1), Folder(0), Dir(0)},
            op::CreateFolder{kAlice, C(1), Folder(0), Dir(0)},
            op::CreateFolder{kAlice, C(1), Folder(0), Dir(1)},
            op::DeleteFolder{kAlice, C(1), Folder(0)},
            op::CreateFolder{kAlice, C(1), Folder(0), Dir(0)},
            op::GetFolder{kAlice, C(1), Folder(0)}, Advance(kRetention),
            op::CreateFolder{kAlice, C(1), Folder(0), Dir(1)},
            op::CreateFolder{kAlice, C(1), Folder(3), Dir(1)}, op::ListFolders{kAlice, C(1)}}),
      Make("F5_parent_is_a_live_folder_in_the_same_capsule",
           {op::CreateCapsule{kAlice, kAlice}, op::CreateCapsule{kAlice, kBob},
            op::CreateFolder{kAlice, C(1), Folder(0), Dir(0)},
            op::CreateFolder{kAlice, C(1), Folder(1), Dir(1, 0)},
            op::CreateFolder{kAlice, C(2), Folder(2), Dir(0, 0)},
            op::CreateFolder{kAlice, C(1), Folder(2), Dir(0, 2)},
            op::CreateFolder{kAlice, C(1), Folder(2), Dir(0, 3)},
            op::DeleteFolder{kAlice, C(1), Folder(0)},
            op::CreateFolder{kAlice, C(1), Folder(1), Dir(1, 0)},
            op::CreateFolder{kAlice, C(1), Folder(2), Dir(0, 0)},
            op::CreateFolder{kAlice, C(1), Folder(2), Dir(0, 1)}, op::ListFolders{kAlice, C(1)}}),
  };
}

std::vector<Seed> UploadSeeds() {
  return {
      Make("U1_same_key_same_expected_is_the_same_session",
           {op::CreateCapsule{kAlice, kAlice}, op::BeginUpload{kAlice, C(1), 2, K1},
            op::BeginUpload{kAlice, C(1), 2, K1}, op::BeginUpload{kAlice, C(1), 3, K1},
            op::Grant{kAlice, C(1), kBob, Role::kController}, op::BeginUpload{kBob, C(1), 2, K1},
            op::BeginUpload{kAlice, C(1), 1, kNoKey}, op::BeginUpload{kAlice, C(1), 1, kNoKey},
            op::BeginUpload{kAlice, C(1), 0, K2},
            op::BeginUpload{kAlice, C(1), kLimits.max_expected_chunks + 1, K2}}),
      Make("U1_U4_replay_keeps_chunks_and_commit_replays_its_blob",
           {op::CreateCapsule{kAlice, kAlice}, op::BeginUpload{kAlice, C(1), 2, K1},
            Put(kAlice, U(1), 0), op::BeginUpload{kAlice, C(1), 2, K1}, Put(kAlice, U(1), 1),
            Finish(kAlice, U(1), 2), op::BeginUpload{kAlice, C(1), 2, K1}, Finish(kAlice, U(1), 2),
            Finish(kAlice, U(1), 1), Put(kAlice, U(1), 1), Put(kAlice, U(1), 1, 1),
            Put(kAlice, U(1), 2)}),
      Make("U2_pending_sessions_are_limited_per_capsule_and_caller",
           {op::CreateCapsule{kAlice, kAlice}, op::CreateCapsule{kAlice, kBob},
            op::BeginUpload{kAlice, C(1), 1, K1}, op::BeginUpload{kAlice, C(1), 1, kNoKey},
            op::BeginUpload{kAlice, C(1), 1, K2}, op::BeginUpload{kAlice, C(1), 1, kNoKey},
            op::BeginUpload{kAlice, C(1), 1, K1}, op::BeginUpload{kAlice, C(2), 1, K2},
            op::AbortUpload{kAlice, U(1)}, op::BeginUpload{kAlice, C(1), 1, K2},
            Put(kAlice, U(2), 0), Finish(kAlice, U(2), 1), op::BeginUpload{kAlice, C(1), 1, K1}},
           StoreSetup{.max_pending_sessions = 2}),
      Make("U2_U6_expired_sessions_free_their_place",
           {op::CreateCapsule{kAlice, kAlice}, op::BeginUpload{kAlice, C(1), 1, K1},
            op::BeginUpload{kAlice, C(1), 1, K2}, Advance(kTtl - 1),
            op::BeginUpload{kAlice, C(1), 1, K2}, Advance(1), op::BeginUpload{kAlice, C(1), 1, K2},
            Put(kAlice, U(1), 0)},
           StoreSetup{.max_pending_sessions = 1}),
      Make("U3_put_chunk_checks_session_caller_then_index",
           {op::CreateCapsule{kAlice, kAlice}, op::Grant{kAlice, C(1), kBob, Role::kController},
            op::BeginUpload{kAlice, C(1), 2, K1}, Put(kAlice, U(7), 0), Put(kBob, U(1), 0),
            Put(kBob, U(1), 3), Put(kAlice, U(1), 2), Put(kAlice, U(1), 0), Put(kAlice, U(1), 0),
            Put(kAlice, U(1), 0, 1), Put(kAlice, U(0), 0)}),
      Make("U3_caller_who_lost_write_access_is_unauthorized",
           {op::CreateCapsule{kAlice, kAlice}, op::Grant{kAlice, C(1), kBob, Role::kController},
            op::BeginUpload{kBob, C(1), 1, K1}, op::Revoke{kAlice, C(1), kBob, Role::kController},
            Put(kBob, U(1), 0), Finish(kBob, U(1), 1), op::AbortUpload{kBob, U(1)},
            op::Grant{kAlice, C(1), kBob, Role::kController}, Finish(kBob, U(1), 1),
            Put(kBob, U(1), 0), Finish(kBob, U(1), 1)}),
      Make("U4_finish_checks_chunks_length_and_digest",
           {op::CreateCapsule{kAlice, kAlice}, op::BeginUpload{kAlice, C(1), 3, K1},
            Put(kAlice, U(1), 0), Put(kAlice, U(1), 2), Finish(kAlice, U(1), 3),
            Put(kAlice, U(1), 1, 1), Finish(kAlice, U(1), 3),
            op::BeginUpload{kAlice, C(1), 2, kNoKey}, Put(kAlice, U(2), 0), Put(kAlice, U(2), 1),
            Finish(kAlice, U(2), 1), Finish(kAlice, U(2), 0), Finish(kAlice, U(2), 2),
            Finish(kAlice, U(2), 2), Finish(kAlice, U(2), 3), Put(kAlice, U(2), 1)}),
      Make("U5_abort_releases_pending_and_refuses_committed",
           {op::CreateCapsule{kAlice, kAlice}, op::BeginUpload{kAlice, C(1), 1, K1},
            op::AbortUpload{kAlice, U(1)}, Put(kAlice, U(1), 0), op::AbortUpload{kAlice, U(1)},
            op::BeginUpload{kAlice, C(1), 1, K1}, Put(kAlice, U(2), 0), Finish(kAlice, U(2), 1),
            op::AbortUpload{kAlice, U(2)}, Finish(kAlice, U(2), 1)}),
      Make("U6_pending_session_expires_at_the_ttl",
           {op::CreateCapsule{kAlice, kAlice}, op::BeginUpload{kAlice, C(1), 1, K1},
            Advance(kTtl - 1), Put(kAlice, U(1), 0), Advance(1), Put(kAlice, U(1), 0),
            Finish(kAlice, U(1), 1), op::BeginUpload{kAlice, C(1), 1, K1}, Put(kAlice, U(2), 0),
            Finish(kAlice, U(2), 1)}),
      Make("U6_committed_session_follows_retention",
           {op::CreateCapsule{kAlice, kAlice}, op::BeginUpload{kAlice, C(1), 1, K1},
            Put(kAlice, U(1), 0), Finish(kAlice, U(1), 1), Advance(kRetention - 1),
            op::BeginUpload{kAlice, C(1), 1, K1}, Finish(kAlice, U(1), 1), Advance(1),
            op::BeginUpload{kAlice, C(1), 1, K1}, Finish(kAlice, U(1), 1)}),
  };
}

std::vector<Seed> WholeSystemSeeds() {
  return {
      Make("T2_upgrade_keeps_records_tombstones_sessions_and_clock",
           {op::CreateCapsule{kAlice, kAlice},
            op::Grant{kAlice, C(1), kBob, Role::kController},
            op::CreateMemory{kAlice, C(1), Payload(0), K1},
            op::CreateMemory{kBob, C(1), Payload(1), K1},
            op::DeleteMemory{kAlice, C(1), M(1)},
            op::CreateGallery{kAlice, C(1), Gallery(0), Album(0)},
            op::DeleteGallery{kAlice, C(1), Gallery(0)},
            op::CreateFolder{kAlice, C(1), Folder(0), Dir(0)},
            op::BeginUpload{kAlice, C(1), 2, K1},
            Put(kAlice, U(1), 0),
            op::BeginUpload{kBob, C(1), 1, K2},
            Put(kBob, U(2), 0),
            Finish(kBob, U(2), 1),
            Advance(60),
            op::Upgrade{},
            op::CreateMemory{kAlice, C(1), Payload(0), K1},
            op::CreateMemory{kAlice, C(1), Payload(1), K1},
            op::CreateMemory{kAlice, C(1), Payload(0), kNoKey},
            op::CreateGallery{kAlice, C(1), Gallery(0), Album(0)},
            op::CreateGallery{kAlice, C(1), Gallery(0), Album(1)},
            op::CreateFolder{kAlice, C(1), Folder(0), Dir(0)},
            Put(kAlice, U(1), 0),
            Put(kAlice, U(1), 0, 1),
            op::BeginUpload{kAlice, C(1), 2, K1},
            Finish(kBob, U(2), 1),
            op::BeginUpload{kAlice, C(1), 1, K2},
            op::Upgrade{},
            Advance(kTtl),
            op::CreateMemory{kAlice, C(1), Payload(1), K1},
            op::CreateGallery{kAlice, C(1), Gallery(0), Album(1)},
            Put(kAlice, U(1), 1)}),
      Make("G5_failed_attempts_change_nothing_and_retries_are_one_call",
           {op::CreateCapsule{kAlice, kAlice}, op::CreateMemory{kAlice, C(1), Payload(0), K1},
            op::CreateMemory{kAlice, C(1), Payload(0), K1},
            op::CreateMemory{kAlice, C(1), Payload(1), kNoKey},
            op::CreateGallery{kAlice, C(1), Gallery(0), Album(0)},
            op::CreateFolder{kAlice, C(1), Folder(0), Dir(0)}, op::BeginUpload{kAlice, C(1), 1, K1},
            Put(kAlice, U(1), 0), Finish(kAlice, U(1), 1), op::DeleteMemory{kAlice, C(1), M(1)},
            op::CreateMemory{kAlice, C(1), Payload(0), K1},
            op::Grant{kAlice, C(1), kBob, Role::kController}, Advance(60), op::Upgrade{},
            op::CreateMemory{kAlice, C(1), Payload(0), K1}, op::ListMemories{kAlice, C(1)}},
           StoreSetup{},
           {{.op = 1, .step = 0},
            {.op = 2, .step = 1},
            {.op = 3, .step = 2},
            {.op = 4, .step = 1},
            {.op = 5, .step = 1},
            {.op = 6, .step = 1},
            {.op = 7, .step = 1},
            {.op = 8, .step = 1},
            {.op = 9, .step = 0},
            {.op = 11, .step = 0},
            {.op = 13, .step = 3}}),
      Make("E1_original_system_bugs", {op::CreateCapsule{kAlice, kAlice},
                                       op::CreateCapsule{kAlice, kAlice},
                                       op::CreateCapsule{kAlice, kBob},
                                       op::CreateMemory{kAlice, C(1), Payload(0), kNoKey},
                                       op::CreateMemory{kAlice, C(1), Payload(0), kNoKey},
                                       op::CreateMemory{kAlice, C(1), Payload(0), K1},
                                       op::CreateMemory{kAlice, C(2), Payload(0), K1},
                                       op::CreateMemory{kAlice, C(1), Payload(1), K1},
                                       op::DeleteMemory{kAlice, C(1), M(3)},
                                       op::CreateMemory{kAlice, C(1), Payload(0), K1},
                                       op::Upgrade{},
                                       op::CreateMemory{kAlice, C(1), Payload(0), K1},
                                       op::CreateMemory{kAlice, C(2), Payload(0), K1},
                                       op::BeginUpload{kAlice, C(1), 2, K1},
                                       op::BeginUpload{kAlice, C(1), 2, K1},
                                       op::BeginUpload{kAlice, C(1), 0, K2},
                                       Put(kAlice, U(5), 0),
                                       op::DeleteMemory{kAlice, C(1), M(1)},
                                       op::DeleteMemory{kAlice, C(1), M(1)},
                                       op::ListMemories{kAlice, C(1)},
                                       op::ListMemories{kAlice, C(2)}}),
      Make("E1_interleaved_callers_capsules_and_kinds",
           {op::CreateCapsule{kAlice, kAlice},
            op::CreateCapsule{kBob, kBob},
            op::CreateCapsule{kCarol, kAlice},
            op::Grant{kAlice, C(1), kBob, Role::kController},
            op::Grant{kBob, C(2), kCarol, Role::kOwner},
            op::CreateMemory{kAlice, C(1), Payload(0), K1},
            op::CreateMemory{kBob, C(2), Payload(0), K1},
            op::CreateMemory{kBob, C(1), Payload(2), K1},
            op::BeginUpload{kCarol, C(2), 2, K1},
            op::BeginUpload{kBob, C(1), 1, K1},
            op::CreateGallery{kCarol, C(3), Gallery(0), Album(0)},
            op::CreateGallery{kBob, C(2), Gallery(1), Album(0)},
            Put(kCarol, U(1), 1),
            op::CreateFolder{kCarol, C(2), Folder(0), Dir(0)},
            op::CreateFolder{kBob, C(2), Folder(1), Dir(1, 0)},
            Put(kBob, U(2), 0),
            op::DeleteMemory{kBob, C(1), M(1)},
            op::Revoke{kBob, C(2), kBob, Role::kOwner},
            Put(kCarol, U(1), 0),
            Finish(kCarol, U(1), 2),
            Finish(kBob, U(2), 1),
            op::CreateMemory{kAlice, C(1), Payload(0), K1},
            op::CreateMemory{kBob, C(2), Payload(0), K1},
            op::DeleteFolder{kCarol, C(2), Folder(0)},
            op::CreateFolder{kCarol, C(2), Folder(2), Dir(0, 0)},
            Advance(kTtl),
            op::BeginUpload{kBob, C(1), 1, K1},
            op::AbortUpload{kBob, U(2)},
            op::Upgrade{},
            op::ListMemories{kAlice, C(1)},
            op::ListGalleries{kCarol, C(2)},
            op::ListFolders{kCarol, C(2)}}),
  };
}

}  // namespace

const std::vector<Seed>& Seeds() {
  static const auto* seeds = [] {
    auto* all = new std::vector<Seed>;
    for (auto group : {CapsuleAndAccessSeeds, MemorySeeds, ReadSeeds, GalleryAndFolderSeeds,
                       UploadSeeds, WholeSystemSeeds}) {
      for (Seed& seed : group()) all->push_back(std::move(seed));
    }
    return all;
  }();
  return *seeds;
}

}  // namespace idemcheck::fuzz
