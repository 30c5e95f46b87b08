// The `Store` interface: one implementation of the capsule store, checked against the contract.
//
// Every method is one operation of SEMANTICS.md with concrete arguments. Errors are reported as
// `absl::Status` with one of the codes below; only the code is part of the contract, the message
// is for people. Implementations need not be thread-safe unless they say so (store registry).
//
//   contract error      absl::StatusCode        helper
//   InvalidArgument     kInvalidArgument        absl::InvalidArgumentError
//   NotFound            kNotFound               absl::NotFoundError
//   Unauthorized        kPermissionDenied       absl::PermissionDeniedError
//   Conflict            kAborted                absl::AbortedError    (HTTP 409's gRPC code)
//   ResourceExhausted   kResourceExhausted      absl::ResourceExhaustedError
//   Corrupt             kDataLoss               absl::DataLossError   (Restore only)

#ifndef IDEMCHECK_STORE_H_
#define IDEMCHECK_STORE_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "idemcheck/ops.h"
#include "idemcheck/values.h"

namespace idemcheck {

using StoredMemory = BasicMemoryEntry<StoreId>;
using CapsuleView = BasicCapsuleState<StoreId, StoreId>;

class Store {
 public:
  virtual ~Store() = default;

  // Capsules and access (C1, C2, A1, A2).
  virtual absl::StatusOr<StoreId> CreateCapsule(absl::string_view caller,
                                                absl::string_view subject) = 0;
  virtual absl::Status Grant(absl::string_view caller, StoreId capsule, absl::string_view principal,
                             Role role) = 0;
  virtual absl::Status Revoke(absl::string_view caller, StoreId capsule,
                              absl::string_view principal, Role role) = 0;

  // Memories (M1-M9, R1-R3). An empty key means "no key".
  virtual absl::StatusOr<StoreId> CreateMemory(absl::string_view caller, StoreId capsule,
                                               const MemoryPayload& payload,
                                               absl::string_view key) = 0;
  virtual absl::StatusOr<MemoryPayload> GetMemory(absl::string_view caller, StoreId capsule,
                                                  StoreId memory) = 0;
  virtual absl::Status DeleteMemory(absl::string_view caller, StoreId capsule, StoreId memory) = 0;
  virtual absl::StatusOr<std::vector<StoredMemory>> ListMemories(absl::string_view caller,
                                                                 StoreId capsule) = 0;

  // Galleries and folders, idempotent on the client-supplied UUID (F1-F5, R1-R3).
  virtual absl::Status CreateGallery(absl::string_view caller, StoreId capsule,
                                     absl::string_view id, const GalleryPayload& payload) = 0;
  virtual absl::StatusOr<GalleryPayload> GetGallery(absl::string_view caller, StoreId capsule,
                                                    absl::string_view id) = 0;
  virtual absl::Status DeleteGallery(absl::string_view caller, StoreId capsule,
                                     absl::string_view id) = 0;
  virtual absl::StatusOr<std::vector<GalleryEntry>> ListGalleries(absl::string_view caller,
                                                                  StoreId capsule) = 0;
  virtual absl::Status CreateFolder(absl::string_view caller, StoreId capsule, absl::string_view id,
                                    const FolderPayload& payload) = 0;
  virtual absl::StatusOr<FolderPayload> GetFolder(absl::string_view caller, StoreId capsule,
                                                  absl::string_view id) = 0;
  virtual absl::Status DeleteFolder(absl::string_view caller, StoreId capsule,
                                    absl::string_view id) = 0;
  virtual absl::StatusOr<std::vector<FolderEntry>> ListFolders(absl::string_view caller,
                                                               StoreId capsule) = 0;

  // Chunked uploads (U1-U6). BeginUpload returns a session ID, FinishUpload a blob ID.
  virtual absl::StatusOr<StoreId> BeginUpload(absl::string_view caller, StoreId capsule,
                                              uint32_t expected_chunks, absl::string_view key) = 0;
  virtual absl::Status PutChunk(absl::string_view caller, StoreId session, uint32_t index,
                                absl::string_view bytes) = 0;
  virtual absl::StatusOr<StoreId> FinishUpload(absl::string_view caller, StoreId session,
                                               uint64_t total_len, uint64_t digest) = 0;
  virtual absl::Status AbortUpload(absl::string_view caller, StoreId session) = 0;

  // Clock and upgrade (T1, T2). Upgrade serializes the store and continues from a fresh instance
  // restored from those bytes; a store without persistence may treat it as the identity.
  virtual absl::Status AdvanceClock(uint64_t seconds) = 0;
  virtual absl::Status Upgrade() = 0;

  // The harness's view of everything observable (E1): every capsule in creation order, with
  // access lists sorted and live entities in creation order. Not an operation: no access checks,
  // no effect on the store.
  virtual std::vector<CapsuleView> Observe() const = 0;
};

// The contract code of a status; kOutsideContract for any code the contract does not use.
Code CodeOf(const absl::Status& status);

}  // namespace idemcheck

#endif  // IDEMCHECK_STORE_H_
