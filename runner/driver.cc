#include "idemcheck/driver.h"

#include <limits>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace idemcheck {

uint32_t Renaming::Name(IdKind kind, StoreId id) {
  Table& table = tables_[static_cast<int>(kind)];
  auto [it, inserted] = table.ordinals.try_emplace(id, table.ids.size() + 1);
  if (inserted) table.ids.push_back(id);
  return it->second;
}

StoreId Renaming::Resolve(IdKind kind, uint32_t n) const {
  const Table& table = tables_[static_cast<int>(kind)];
  if (n >= 1 && n <= table.ids.size()) return table.ids[n - 1];
  return std::numeric_limits<StoreId>::max() - n;
}

uint32_t Renaming::Seen(IdKind kind) const {
  return static_cast<uint32_t>(tables_[static_cast<int>(kind)].ids.size());
}

namespace {

Outcome Failed(const absl::Status& status) {
  return Outcome{.code = CodeOf(status), .value = {}, .message = std::string(status.message())};
}

// Turns each store result into a renamed outcome.
struct Executor {
  Store& store;
  Renaming& names;

  template <IdKind K>
  StoreId Id(Ref<K> ref) const {
    return names.Resolve(K, ref.n);
  }

  Outcome From(const absl::Status& status) const {
    if (!status.ok()) return Failed(status);
    return Outcome{};
  }
  template <IdKind K>
  Outcome NewId(const absl::StatusOr<StoreId>& id) const {
    if (!id.ok()) return Failed(id.status());
    return Outcome{.value = Ref<K>{names.Name(K, *id)}};
  }
  template <typename T>
  Outcome Payload(absl::StatusOr<T> payload) const {
    if (!payload.ok()) return Failed(payload.status());
    return Outcome{.value = std::move(*payload)};
  }
  Outcome Memories(absl::StatusOr<std::vector<StoredMemory>> listed) const {
    if (!listed.ok()) return Failed(listed.status());
    std::vector<MemoryEntry> renamed;
    renamed.reserve(listed->size());
    for (StoredMemory& m : *listed) {
      renamed.push_back({MemoryRef{names.Name(IdKind::kMemory, m.id)}, std::move(m.payload)});
    }
    return Outcome{.value = std::move(renamed)};
  }

  Outcome operator()(const op::CreateCapsule& o) {
    return NewId<IdKind::kCapsule>(store.CreateCapsule(o.caller, o.subject));
  }
  Outcome operator()(const op::Grant& o) {
    return From(store.Grant(o.caller, Id(o.capsule), o.principal, o.role));
  }
  Outcome operator()(const op::Revoke& o) {
    return From(store.Revoke(o.caller, Id(o.capsule), o.principal, o.role));
  }
  Outcome operator()(const op::CreateMemory& o) {
    return NewId<IdKind::kMemory>(store.CreateMemory(o.caller, Id(o.capsule), o.payload, o.key));
  }
  Outcome operator()(const op::GetMemory& o) {
    return Payload(store.GetMemory(o.caller, Id(o.capsule), Id(o.memory)));
  }
  Outcome operator()(const op::DeleteMemory& o) {
    return From(store.DeleteMemory(o.caller, Id(o.capsule), Id(o.memory)));
  }
  Outcome operator()(const op::ListMemories& o) {
    return Memories(store.ListMemories(o.caller, Id(o.capsule)));
  }
  Outcome operator()(const op::CreateGallery& o) {
    return From(store.CreateGallery(o.caller, Id(o.capsule), o.id, o.payload));
  }
  Outcome operator()(const op::GetGallery& o) {
    return Payload(store.GetGallery(o.caller, Id(o.capsule), o.id));
  }
  Outcome operator()(const op::DeleteGallery& o) {
    return From(store.DeleteGallery(o.caller, Id(o.capsule), o.id));
  }
  Outcome operator()(const op::ListGalleries& o) {
    return Payload(store.ListGalleries(o.caller, Id(o.capsule)));
  }
  Outcome operator()(const op::CreateFolder& o) {
    return From(store.CreateFolder(o.caller, Id(o.capsule), o.id, o.payload));
  }
  Outcome operator()(const op::GetFolder& o) {
    return Payload(store.GetFolder(o.caller, Id(o.capsule), o.id));
  }
  Outcome operator()(const op::DeleteFolder& o) {
    return From(store.DeleteFolder(o.caller, Id(o.capsule), o.id));
  }
  Outcome operator()(const op::ListFolders& o) {
    return Payload(store.ListFolders(o.caller, Id(o.capsule)));
  }
  Outcome operator()(const op::BeginUpload& o) {
    return NewId<IdKind::kSession>(
        store.BeginUpload(o.caller, Id(o.capsule), o.expected_chunks, o.key));
  }
  Outcome operator()(const op::PutChunk& o) {
    return From(store.PutChunk(o.caller, Id(o.session), o.index, o.bytes));
  }
  Outcome operator()(const op::FinishUpload& o) {
    return NewId<IdKind::kBlob>(store.FinishUpload(o.caller, Id(o.session), o.total_len, o.digest));
  }
  Outcome operator()(const op::AbortUpload& o) {
    return From(store.AbortUpload(o.caller, Id(o.session)));
  }
  Outcome operator()(const op::AdvanceClock& o) { return From(store.AdvanceClock(o.seconds)); }
  Outcome operator()(const op::Upgrade&) { return From(store.Upgrade()); }
};

}  // namespace

Outcome Driver::Apply(const Op& op) { return std::visit(Executor{*store_, renaming_}, op); }

State Driver::Observe() {
  State state;
  for (CapsuleView& view : store_->Observe()) {
    CapsuleState capsule{
        .id = CapsuleRef{renaming_.Name(IdKind::kCapsule, view.id)},
        .subject = std::move(view.subject),
        .owners = std::move(view.owners),
        .controllers = std::move(view.controllers),
        .memories = {},
        .galleries = std::move(view.galleries),
        .folders = std::move(view.folders),
    };
    for (StoredMemory& m : view.memories) {
      capsule.memories.push_back(
          {MemoryRef{renaming_.Name(IdKind::kMemory, m.id)}, std::move(m.payload)});
    }
    state.push_back(std::move(capsule));
  }
  return state;
}

}  // namespace idemcheck
