// The reference model: SEMANTICS.md in code, written to be obviously correct rather than fast.
//
// Plain structs in vectors, linear scans, nothing cached: every answer is computed from the full
// history the store keeps. Each decision carries the ID of the rule it implements. Every check
// runs before anything is changed, so an error never leaves a trace (G5).

#ifndef IDEMCHECK_REFERENCE_REFERENCE_STORE_H_
#define IDEMCHECK_REFERENCE_REFERENCE_STORE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "idemcheck/registry.h"
#include "idemcheck/store.h"

namespace idemcheck {

class ReferenceStore final : public Store {
 public:
  explicit ReferenceStore(const StoreOptions& options = {}) : limits_(options.limits) {}

  absl::StatusOr<StoreId> CreateCapsule(absl::string_view caller,
                                        absl::string_view subject) override;
  absl::Status Grant(absl::string_view caller, StoreId capsule, absl::string_view principal,
                     Role role) override;
  absl::Status Revoke(absl::string_view caller, StoreId capsule, absl::string_view principal,
                      Role role) override;

  absl::StatusOr<StoreId> CreateMemory(absl::string_view caller, StoreId capsule,
                                       const MemoryPayload& payload,
                                       absl::string_view key) override;
  absl::StatusOr<MemoryPayload> GetMemory(absl::string_view caller, StoreId capsule,
                                          StoreId memory) override;
  absl::Status DeleteMemory(absl::string_view caller, StoreId capsule, StoreId memory) override;
  absl::StatusOr<std::vector<StoredMemory>> ListMemories(absl::string_view caller,
                                                         StoreId capsule) override;

  absl::Status CreateGallery(absl::string_view caller, StoreId capsule, absl::string_view id,
                             const GalleryPayload& payload) override;
  absl::StatusOr<GalleryPayload> GetGallery(absl::string_view caller, StoreId capsule,
                                            absl::string_view id) override;
  absl::Status DeleteGallery(absl::string_view caller, StoreId capsule,
                             absl::string_view id) override;
  absl::StatusOr<std::vector<GalleryEntry>> ListGalleries(absl::string_view caller,
                                                          StoreId capsule) override;
  absl::Status CreateFolder(absl::string_view caller, StoreId capsule, absl::string_view id,
                            const FolderPayload& payload) override;
  absl::StatusOr<FolderPayload> GetFolder(absl::string_view caller, StoreId capsule,
                                          absl::string_view id) override;
  absl::Status DeleteFolder(absl::string_view caller, StoreId capsule,
                            absl::string_view id) override;
  absl::StatusOr<std::vector<FolderEntry>> ListFolders(absl::string_view caller,
                                                       StoreId capsule) override;

  absl::StatusOr<StoreId> BeginUpload(absl::string_view caller, StoreId capsule,
                                      uint32_t expected_chunks, absl::string_view key) override;
  absl::Status PutChunk(absl::string_view caller, StoreId session, uint32_t index,
                        absl::string_view bytes) override;
  absl::StatusOr<StoreId> FinishUpload(absl::string_view caller, StoreId session,
                                       uint64_t total_len, uint64_t digest) override;
  absl::Status AbortUpload(absl::string_view caller, StoreId session) override;

  absl::Status AdvanceClock(uint64_t seconds) override;
  // The reference keeps nothing outside this object: an upgrade is the identity.
  absl::Status Upgrade() override { return absl::OkStatus(); }

  std::vector<CapsuleView> Observe() const override;

 private:
  struct Capsule {
    StoreId id;
    std::string subject;
    std::vector<std::string> owners;
    std::vector<std::string> controllers;
  };
  struct Memory {
    StoreId id;
    StoreId capsule;
    MemoryPayload payload;
    bool deleted = false;
  };
  // M3: what a non-empty key remembers.
  struct MemoryRecord {
    StoreId capsule;
    std::string caller;
    std::string key;
    MemoryPayload payload;
    StoreId memory;
    uint64_t created_at;
  };
  // Galleries and folders: the entity and, once deleted, its tombstone (F4).
  template <typename Payload>
  struct Named {
    std::string id;
    StoreId capsule;
    Payload payload;
    bool deleted = false;
    uint64_t deleted_at = 0;
  };
  enum class SessionState { kPending, kCommitted, kAborted };
  struct Session {
    StoreId id;
    StoreId capsule;
    std::string caller;
    std::string key;
    uint32_t expected_chunks;
    uint64_t begun_at;
    SessionState state = SessionState::kPending;
    std::map<uint32_t, std::string> chunks;
    StoreId blob = 0;
    uint64_t total_len = 0;
    uint64_t digest = 0;
  };

  Capsule* FindCapsule(StoreId id);
  const Capsule* FindCapsule(StoreId id) const;
  static bool HasAccess(const Capsule& capsule, absl::string_view principal);  // A1
  static bool IsOwner(const Capsule& capsule, absl::string_view principal);
  // G1-G3 for operations on one capsule; returns the capsule or the error.
  absl::StatusOr<Capsule*> CheckCapsuleAccess(absl::string_view caller, StoreId capsule);

  bool IsLive(const MemoryRecord& record) const;  // M8
  template <typename Payload>
  bool HoldsId(const Named<Payload>& entity) const;  // live entity or live tombstone (F4)
  bool IsExpired(const Session& session) const;      // U6, pending sessions only
  bool HasLiveRecord(const Session& session) const;  // U1, U6
  // U3: the session a caller may act on, or NotFound / Unauthorized.
  absl::StatusOr<Session*> CheckSession(absl::string_view caller, StoreId session);

  template <typename Payload>
  absl::Status CreateNamed(std::vector<Named<Payload>>& entities, StoreId capsule,
                           absl::string_view id, const Payload& payload);
  template <typename Payload>
  absl::StatusOr<Payload> GetNamed(const std::vector<Named<Payload>>& entities,
                                   absl::string_view caller, StoreId capsule, absl::string_view id);
  template <typename Payload>
  absl::Status DeleteNamed(std::vector<Named<Payload>>& entities, absl::string_view caller,
                           StoreId capsule, absl::string_view id);
  template <typename Entry, typename Payload>
  absl::StatusOr<std::vector<Entry>> ListNamed(const std::vector<Named<Payload>>& entities,
                                               absl::string_view caller, StoreId capsule);

  Limits limits_;
  uint64_t now_ = 0;
  // Store-chosen IDs are counters, never reused: 1, 2, 3, ... per kind.
  StoreId last_capsule_ = 0;
  StoreId last_memory_ = 0;
  StoreId last_session_ = 0;
  StoreId last_blob_ = 0;

  std::vector<Capsule> capsules_;  // creation order
  std::vector<Memory> memories_;   // creation order
  std::vector<MemoryRecord> memory_records_;
  std::vector<Named<GalleryPayload>> galleries_;  // creation order
  std::vector<Named<FolderPayload>> folders_;     // creation order
  std::vector<Session> sessions_;
};

}  // namespace idemcheck

#endif  // IDEMCHECK_REFERENCE_REFERENCE_STORE_H_
