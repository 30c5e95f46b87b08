#include "properties/trace_checks.h"

#include <algorithm>
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <variant>

#include "absl/strings/str_cat.h"
#include "idemcheck/printer.h"

namespace idemcheck::properties {
namespace {

// (capsule, caller, key): the scope of memory and upload records (M6, U1).
struct Scope {
  uint32_t capsule = 0;
  std::string caller;
  std::string key;
  friend auto operator<=>(const Scope&, const Scope&) = default;
};

std::string ToString(const Scope& s) {
  return absl::StrCat("(", ToString(CapsuleRef{s.capsule}), ", ", s.caller, ", key \"",
                      s.key.size() > 12 ? absl::StrCat(s.key.size(), " bytes") : s.key, "\")");
}

template <IdKind K>
uint32_t Returned(const Outcome& outcome) {
  const auto* ref = std::get_if<Ref<K>>(&outcome.value);
  return ref == nullptr ? 0 : ref->n;
}

const CapsuleState* FindCapsule(const State& state, CapsuleRef capsule) {
  for (const CapsuleState& c : state) {
    if (c.id == capsule) return &c;
  }
  return nullptr;
}

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

bool HasAccess(const State& state, CapsuleRef capsule, const std::string& caller) {
  const CapsuleState* c = FindCapsule(state, capsule);
  return c != nullptr && (Contains(c->owners, caller) || Contains(c->controllers, caller));
}

size_t MemoryCount(const State& state) {
  size_t n = 0;
  for (const CapsuleState& c : state) n += c.memories.size();
  return n;
}

bool ListsMemory(const State& state, uint32_t memory) {
  for (const CapsuleState& c : state) {
    for (const MemoryEntry& m : c.memories) {
      if (m.id.n == memory) return true;
    }
  }
  return false;
}

// The capsule in which a gallery or folder ID is live, and its payload.
template <typename Payload>
struct LiveNamed {
  CapsuleRef capsule;
  Payload payload;
};

template <typename Payload>
std::optional<LiveNamed<Payload>> FindLive(const State& state, const std::string& id) {
  for (const CapsuleState& c : state) {
    if constexpr (std::is_same_v<Payload, GalleryPayload>) {
      for (const GalleryEntry& g : c.galleries) {
        if (g.id == id) return LiveNamed<Payload>{c.id, g.payload};
      }
    } else {
      for (const FolderEntry& f : c.folders) {
        if (f.id == id) return LiveNamed<Payload>{c.id, f.payload};
      }
    }
  }
  return std::nullopt;
}

// What the run has established so far: records, sessions, deletions, tombstones. Each check
// asks it about the state before step i, then calls Step(i).
class History {
 public:
  struct MemoryRecord {
    uint32_t memory = 0;
    MemoryPayload payload;
    uint64_t created_at = 0;
  };
  // Where a memory ID came from: the create that first returned it.
  struct MemoryOrigin {
    Scope scope;  // key empty: an empty-key create
    uint64_t created_at = 0;
    size_t step = 0;
  };
  struct Session {
    Scope scope;
    uint32_t expected = 0;
    uint64_t begun_at = 0;
    size_t step = 0;
    bool committed = false;
    bool aborted = false;
  };
  template <typename Payload>
  struct Tombstone {
    CapsuleRef capsule;
    Payload payload;
    uint64_t deleted_at = 0;
  };

  History(const Trace& trace, const Limits& limits) : trace_(trace), limits_(limits) {}

  uint64_t Now(size_t i) const { return trace_.clocks[i]; }

  // M8: the record for `scope`, if any, and whether it is live at step i.
  const MemoryRecord* LatestRecord(const Scope& scope) const {
    auto it = records_.find(scope);
    return it == records_.end() ? nullptr : &it->second;
  }
  bool IsLive(const MemoryRecord& r, size_t i) const {
    return Now(i) - r.created_at < limits_.retention_seconds;
  }
  const MemoryRecord* LiveRecord(const Scope& scope, size_t i) const {
    const MemoryRecord* r = LatestRecord(scope);
    return r != nullptr && IsLive(*r, i) ? r : nullptr;
  }
  const MemoryOrigin* Origin(uint32_t memory) const {
    auto it = memory_origins_.find(memory);
    return it == memory_origins_.end() ? nullptr : &it->second;
  }
  bool IsDeleted(uint32_t memory) const { return deleted_memories_.contains(memory); }
  const std::set<uint32_t>& deleted_memories() const { return deleted_memories_; }

  const Session* FindSession(uint32_t session) const {
    auto it = sessions_.find(session);
    return it == sessions_.end() ? nullptr : &it->second;
  }
  bool IsExpired(const Session& s, size_t i) const {  // U6
    return !s.committed && !s.aborted && Now(i) - s.begun_at >= limits_.session_ttl_seconds;
  }
  // U1, U6: a pending session holds its key until it expires or is aborted; a committed one for
  // the retention window from its begin.
  bool HoldsKey(const Session& s, size_t i) const {
    if (s.aborted) return false;
    if (s.committed) return Now(i) - s.begun_at < limits_.retention_seconds;
    return !IsExpired(s, i);
  }
  // The session that last held `scope`'s key, if any.
  const Session* LatestSessionOf(const Scope& scope) const {
    auto it = upload_records_.find(scope);
    return it == upload_records_.end() ? nullptr : FindSession(it->second);
  }
  uint32_t LatestSessionIdOf(const Scope& scope) const {
    auto it = upload_records_.find(scope);
    return it == upload_records_.end() ? 0 : it->second;
  }
  std::optional<uint32_t> SessionOfBlob(uint32_t blob) const {
    auto it = blob_sessions_.find(blob);
    if (it == blob_sessions_.end()) return std::nullopt;
    return it->second;
  }

  const Tombstone<GalleryPayload>* GalleryTombstone(const std::string& id) const {
    auto it = gallery_tombstones_.find(id);
    return it == gallery_tombstones_.end() ? nullptr : &it->second;
  }
  const Tombstone<FolderPayload>* FolderTombstone(const std::string& id) const {
    auto it = folder_tombstones_.find(id);
    return it == folder_tombstones_.end() ? nullptr : &it->second;
  }
  template <typename Payload>
  bool InWindow(const Tombstone<Payload>& t, size_t i) const {
    return Now(i) - t.deleted_at < limits_.retention_seconds;
  }

  // Takes in the effects of step i.
  void Step(size_t i) {
    const Outcome& outcome = trace_.outcomes[i];
    if (!outcome.ok()) return;
    std::visit([&](const auto& o) { Apply(i, o); }, trace_.ops[i]);
  }

 private:
  void Apply(size_t i, const op::CreateMemory& o) {
    const uint32_t m = Returned<IdKind::kMemory>(trace_.outcomes[i]);
    const Scope scope{o.capsule.n, o.caller, o.key};
    if (trace_.IsNew(i, IdKind::kMemory, m))
      memory_origins_.emplace(m, MemoryOrigin{scope, Now(i), i});
    if (!o.key.empty() && LiveRecord(scope, i) == nullptr) {
      records_[scope] = MemoryRecord{m, o.payload, Now(i)};
    }
  }
  void Apply(size_t, const op::DeleteMemory& o) { deleted_memories_.insert(o.memory.n); }
  void Apply(size_t i, const op::BeginUpload& o) {
    const uint32_t s = Returned<IdKind::kSession>(trace_.outcomes[i]);
    const Scope scope{o.capsule.n, o.caller, o.key};
    if (trace_.IsNew(i, IdKind::kSession, s)) {
      sessions_.emplace(s, Session{scope, o.expected_chunks, Now(i), i});
      if (!o.key.empty()) upload_records_[scope] = s;
    }
  }
  void Apply(size_t i, const op::FinishUpload& o) {
    sessions_[o.session.n].committed = true;
    const uint32_t blob = Returned<IdKind::kBlob>(trace_.outcomes[i]);
    blob_sessions_.emplace(blob, o.session.n);
  }
  void Apply(size_t, const op::AbortUpload& o) { sessions_[o.session.n].aborted = true; }
  void Apply(size_t i, const op::DeleteGallery& o) {
    if (auto live = FindLive<GalleryPayload>(trace_.Before(i), o.id)) {
      gallery_tombstones_[o.id] = {live->capsule, live->payload, Now(i)};
    }
  }
  void Apply(size_t i, const op::DeleteFolder& o) {
    if (auto live = FindLive<FolderPayload>(trace_.Before(i), o.id)) {
      folder_tombstones_[o.id] = {live->capsule, live->payload, Now(i)};
    }
  }
  void Apply(size_t, const auto&) {}

  const Trace& trace_;
  const Limits& limits_;
  std::map<Scope, MemoryRecord> records_;
  std::map<uint32_t, MemoryOrigin> memory_origins_;
  std::set<uint32_t> deleted_memories_;
  std::map<uint32_t, Session> sessions_;
  std::map<Scope, uint32_t> upload_records_;
  std::map<uint32_t, uint32_t> blob_sessions_;
  std::map<std::string, Tombstone<GalleryPayload>> gallery_tombstones_;
  std::map<std::string, Tombstone<FolderPayload>> folder_tombstones_;
};

std::string Step(size_t i) { return absl::StrCat("step ", i + 1); }

Finding At(size_t i, std::string rule, std::string what) {
  return Finding{i, std::move(rule), std::move(what)};
}

// ---- P1 ------------------------------------------------------------------------------------

// Identity of the operations a client retries: the same op with the same arguments.
bool SameRetry(const Op& a, const Op& b) {
  if (a.index() != b.index()) return false;
  return std::visit(
      [&](const auto& x) -> bool {
        using T = std::decay_t<decltype(x)>;
        const T& y = std::get<T>(b);
        if constexpr (std::is_same_v<T, op::CreateCapsule>) {
          return std::tie(x.caller, x.subject) == std::tie(y.caller, y.subject);
        } else if constexpr (std::is_same_v<T, op::CreateMemory>) {
          return std::tie(x.caller, x.capsule, x.payload, x.key) ==
                 std::tie(y.caller, y.capsule, y.payload, y.key);
        } else if constexpr (std::is_same_v<T, op::CreateGallery> ||
                             std::is_same_v<T, op::CreateFolder>) {
          return std::tie(x.caller, x.capsule, x.id, x.payload) ==
                 std::tie(y.caller, y.capsule, y.id, y.payload);
        } else if constexpr (std::is_same_v<T, op::BeginUpload>) {
          return std::tie(x.caller, x.capsule, x.expected_chunks, x.key) ==
                 std::tie(y.caller, y.capsule, y.expected_chunks, y.key);
        } else if constexpr (std::is_same_v<T, op::PutChunk>) {
          return std::tie(x.caller, x.session, x.index, x.bytes) ==
                 std::tie(y.caller, y.session, y.index, y.bytes);
        } else if constexpr (std::is_same_v<T, op::FinishUpload>) {
          return std::tie(x.caller, x.session, x.total_len, x.digest) ==
                 std::tie(y.caller, y.session, y.total_len, y.digest);
        } else {
          return false;  // not an operation clients retry
        }
      },
      a);
}

// The rule that makes a retry of `op` safe.
const char* RetryRule(const Op& op) {
  constexpr const char* kRules[] = {"C1", "", "", "M4", "",   "",   "",   "F3", "", "", "",
                                    "F3", "", "", "",   "U1", "U3", "U4", "",   "", ""};
  static_assert(std::size(kRules) == std::variant_size_v<Op>);
  return kRules[op.index()];
}

// The step at which ref `n` of `kind` was first returned, or the trace's size.
size_t FirstReturned(const Trace& trace, IdKind kind, uint32_t n) {
  for (size_t i = 0; i < trace.size(); ++i) {
    if (!trace.IsNew(i, kind, n)) continue;
    const bool here = std::visit(
        [&](const auto& v) {
          if constexpr (requires { v.n; }) {
            return std::decay_t<decltype(v)>::kKind == kind && v.n == n;
          } else {
            return false;
          }
        },
        trace.outcomes[i].value);
    if (here) return i;
  }
  return trace.size();
}

// Whether something between the original at step i and the retry at step j may legitimately
// change the retry's answer.
bool Disturbed(const Trace& trace, const Limits& limits, size_t i, size_t j) {
  const Op& op = trace.ops[j];
  for (size_t k = i + 1; k < j; ++k) {
    if (!trace.outcomes[k].ok()) continue;
    const Op& between = trace.ops[k];
    if (std::holds_alternative<op::Revoke>(between)) return true;
    if (std::holds_alternative<op::AbortUpload>(between)) return true;
    if (std::holds_alternative<op::Grant>(between) &&
        std::holds_alternative<op::CreateCapsule>(op)) {
      return true;  // C1: the caller may now own an older capsule of the subject
    }
  }
  const uint64_t now = trace.clocks[j];
  // The window of the record the original found or made.
  if (std::holds_alternative<op::CreateMemory>(op)) {
    const size_t first =
        FirstReturned(trace, IdKind::kMemory, Returned<IdKind::kMemory>(trace.outcomes[i]));
    return now - trace.clocks[first] >= limits.retention_seconds;
  }
  uint32_t session = 0;
  if (std::holds_alternative<op::BeginUpload>(op)) {
    session = Returned<IdKind::kSession>(trace.outcomes[i]);
  } else if (const auto* put = std::get_if<op::PutChunk>(&op)) {
    session = put->session.n;
  } else if (const auto* finish = std::get_if<op::FinishUpload>(&op)) {
    session = finish->session.n;
  }
  if (session != 0) {
    const size_t first = FirstReturned(trace, IdKind::kSession, session);
    return first == trace.size() || now - trace.clocks[first] >= limits.session_ttl_seconds;
  }
  return now - trace.clocks[i] >= limits.retention_seconds;  // galleries, folders: tombstones
}

bool IsEmptyKeyCreate(const Op& op) {
  if (const auto* m = std::get_if<op::CreateMemory>(&op)) return m->key.empty();
  if (const auto* u = std::get_if<op::BeginUpload>(&op)) return u->key.empty();
  return false;
}

}  // namespace

std::optional<Finding> CheckReplayStorm(const Trace& trace, const Limits& limits) {
  for (size_t j = 0; j < trace.size(); ++j) {
    const Op& op = trace.ops[j];
    if (*RetryRule(op) == '\0' || IsEmptyKeyCreate(op)) continue;
    for (size_t i = j; i-- > 0;) {
      if (!trace.outcomes[i].ok() || !SameRetry(trace.ops[i], op)) continue;
      if (Disturbed(trace, limits, i, j)) break;
      if (trace.outcomes[j] != trace.outcomes[i]) {
        return At(j, RetryRule(op),
                  absl::StrCat("a retry of ", Step(i), " returned ", ToString(trace.outcomes[j]),
                               "; ", Step(i), " returned ", ToString(trace.outcomes[i])));
      }
      if (trace.states[j] != trace.Before(j)) {
        return At(j, RetryRule(op),
                  absl::StrCat("a retry of ", Step(i), " changed the observable state:\n",
                               ToString(trace.Before(j)), "  became\n", ToString(trace.states[j])));
      }
      break;
    }
  }
  return std::nullopt;
}

std::optional<Finding> CheckSingleInsertion(const Trace& trace, const Limits& limits) {
  History history(trace, limits);
  for (size_t i = 0; i < trace.size(); ++i) {
    const Outcome& outcome = trace.outcomes[i];
    const auto delta = static_cast<int64_t>(MemoryCount(trace.states[i])) -
                       static_cast<int64_t>(MemoryCount(trace.Before(i)));
    int64_t want = 0;
    std::string rule = outcome.ok() ? "R3" : "G5";
    if (const auto* create = std::get_if<op::CreateMemory>(&trace.ops[i]); create && outcome.ok()) {
      const uint32_t m = Returned<IdKind::kMemory>(outcome);
      const Scope scope{create->capsule.n, create->caller, create->key};
      const History::MemoryRecord* live =
          create->key.empty() ? nullptr : history.LiveRecord(scope, i);
      if (live != nullptr && live->payload != create->payload) {
        history.Step(i);
        continue;  // P5's business
      }
      if (live != nullptr && m != live->memory) {
        return At(i, "M4",
                  absl::StrCat("the key of ", ToString(scope), " has a live record for ",
                               ToString(MemoryRef{live->memory}), ", but the create returned ",
                               ToString(MemoryRef{m})));
      }
      if (live == nullptr && !trace.IsNew(i, IdKind::kMemory, m)) {
        return At(i, create->key.empty() ? "M2" : "M3",
                  absl::StrCat(
                      create->key.empty() ? "an empty-key create" : "a create with no live record",
                      " returned ", ToString(MemoryRef{m}), ", an ID seen before"));
      }
      want = live == nullptr ? 1 : 0;
      rule = live == nullptr ? "M3" : "M4";
    } else if (std::holds_alternative<op::DeleteMemory>(trace.ops[i]) && outcome.ok()) {
      want = -1;
      rule = "R2";
    }
    if (delta != want) {
      return At(
          i, rule,
          absl::StrCat("the number of live memories changed by ", delta, ", expected ", want));
    }
    history.Step(i);
  }
  return std::nullopt;
}

std::optional<Finding> CheckEmptyKey(const Trace& trace, const Limits&) {
  for (size_t i = 0; i < trace.size(); ++i) {
    const Outcome& outcome = trace.outcomes[i];
    if (!outcome.ok() || !IsEmptyKeyCreate(trace.ops[i])) continue;
    const bool memory = std::holds_alternative<op::CreateMemory>(trace.ops[i]);
    const IdKind kind = memory ? IdKind::kMemory : IdKind::kSession;
    const uint32_t n =
        memory ? Returned<IdKind::kMemory>(outcome) : Returned<IdKind::kSession>(outcome);
    if (!trace.IsNew(i, kind, n)) {
      return At(i, memory ? "M2" : "U1",
                absl::StrCat("an empty-key create returned ", ToString(outcome),
                             ", an ID seen before: the empty key deduplicated"));
    }
    if (memory && MemoryCount(trace.states[i]) != MemoryCount(trace.Before(i)) + 1) {
      return At(i, "M2", "an empty-key create did not insert exactly one memory");
    }
  }
  return std::nullopt;
}

std::optional<Finding> CheckScopeIsolation(const Trace& trace, const Limits&) {
  std::map<uint32_t, std::pair<Scope, size_t>> memory_scopes;
  std::map<uint32_t, std::pair<Scope, size_t>> session_scopes;
  for (size_t i = 0; i < trace.size(); ++i) {
    const Outcome& outcome = trace.outcomes[i];
    if (!outcome.ok()) continue;
    const auto check = [&](std::map<uint32_t, std::pair<Scope, size_t>>& scopes, uint32_t n,
                           Scope scope, const char* rule) -> std::optional<Finding> {
      auto [it, inserted] = scopes.try_emplace(n, scope, i);
      if (inserted || it->second.first == scope) return std::nullopt;
      return At(i, rule,
                absl::StrCat(ToString(scope), " got ", ToString(outcome), ", which ",
                             Step(it->second.second), " returned to ", ToString(it->second.first)));
    };
    std::optional<Finding> found;
    if (const auto* m = std::get_if<op::CreateMemory>(&trace.ops[i])) {
      found = check(memory_scopes, Returned<IdKind::kMemory>(outcome),
                    Scope{m->capsule.n, m->caller, m->key}, "M6");
    } else if (const auto* u = std::get_if<op::BeginUpload>(&trace.ops[i])) {
      found = check(session_scopes, Returned<IdKind::kSession>(outcome),
                    Scope{u->capsule.n, u->caller, u->key}, "U1");
    }
    if (found) return found;
  }
  return std::nullopt;
}

std::optional<Finding> CheckPayloadMismatch(const Trace& trace, const Limits& limits) {
  History history(trace, limits);
  for (size_t i = 0; i < trace.size(); ++i) {
    const Op& op = trace.ops[i];
    std::string mismatch;  // why this create must fail
    const char* rule = "";
    if (const auto* m = std::get_if<op::CreateMemory>(&op); m && !m->key.empty()) {
      const History::MemoryRecord* live =
          history.LiveRecord(Scope{m->capsule.n, m->caller, m->key}, i);
      if (live != nullptr && live->payload != m->payload) {
        mismatch = absl::StrCat("the key has a live record for ", ToString(MemoryRef{live->memory}),
                                " with another payload");
        rule = "M5";
      }
    } else if (const auto* u = std::get_if<op::BeginUpload>(&op); u && !u->key.empty()) {
      const History::Session* s = history.LatestSessionOf(Scope{u->capsule.n, u->caller, u->key});
      if (s != nullptr && history.HoldsKey(*s, i) && s->expected != u->expected_chunks) {
        mismatch =
            absl::StrCat("the key is held by a session of ", s->expected, " expected chunks");
        rule = "U1";
      }
    } else if (const auto* g = std::get_if<op::CreateGallery>(&op)) {
      auto live = FindLive<GalleryPayload>(trace.Before(i), g->id);
      if (live && (live->capsule != g->capsule || live->payload != g->payload)) {
        mismatch = absl::StrCat("the gallery ID is live in ", ToString(live->capsule),
                                " with title \"", live->payload.title, "\"");
        rule = "F3";
      }
    } else if (const auto* f = std::get_if<op::CreateFolder>(&op)) {
      auto live = FindLive<FolderPayload>(trace.Before(i), f->id);
      if (live && (live->capsule != f->capsule || live->payload != f->payload)) {
        mismatch = absl::StrCat("the folder ID is live in ", ToString(live->capsule),
                                " with another payload");
        rule = "F3";
      }
    }
    if (!mismatch.empty()) {
      if (trace.outcomes[i].ok()) {
        return At(
            i, rule,
            absl::StrCat(mismatch, ", yet the create returned ", ToString(trace.outcomes[i])));
      }
      if (trace.states[i] != trace.Before(i)) {
        return At(i, rule, absl::StrCat(mismatch, "; the create failed but changed the state"));
      }
    }
    history.Step(i);
  }
  return std::nullopt;
}

std::optional<Finding> CheckNoResurrection(const Trace& trace, const Limits& limits) {
  History history(trace, limits);
  for (size_t i = 0; i < trace.size(); ++i) {
    const Op& op = trace.ops[i];
    const Outcome& outcome = trace.outcomes[i];
    // M7: a retry of a deleted memory's create returns its ID.
    if (const auto* m = std::get_if<op::CreateMemory>(&op); m && outcome.ok() && !m->key.empty()) {
      const History::MemoryRecord* live =
          history.LiveRecord(Scope{m->capsule.n, m->caller, m->key}, i);
      if (live != nullptr && live->payload == m->payload && history.IsDeleted(live->memory) &&
          Returned<IdKind::kMemory>(outcome) != live->memory) {
        return At(
            i, "M7",
            absl::StrCat("a retry of the create of deleted ", ToString(MemoryRef{live->memory}),
                         " returned ", ToString(outcome), " instead of the original ID"));
      }
    }
    if (const auto* get = std::get_if<op::GetMemory>(&op);
        get && outcome.ok() && history.IsDeleted(get->memory.n)) {
      return At(i, "M7", absl::StrCat("deleted ", ToString(get->memory), " can be read again"));
    }
    history.Step(i);
    for (uint32_t deleted : history.deleted_memories()) {
      if (ListsMemory(trace.states[i], deleted)) {
        return At(i, "M7",
                  absl::StrCat("deleted ", ToString(MemoryRef{deleted}), " is live again"));
      }
    }
    // F4: while a tombstone lives, its ID is live nowhere.
    for (const CapsuleState& c : trace.states[i]) {
      for (const GalleryEntry& g : c.galleries) {
        const auto* t = history.GalleryTombstone(g.id);
        if (t != nullptr && history.InWindow(*t, i)) {
          return At(i, "F4", absl::StrCat("deleted gallery ", g.id, " is live again"));
        }
      }
      for (const FolderEntry& f : c.folders) {
        const auto* t = history.FolderTombstone(f.id);
        if (t != nullptr && history.InWindow(*t, i)) {
          return At(i, "F4", absl::StrCat("deleted folder ", f.id, " is live again"));
        }
      }
    }
  }
  return std::nullopt;
}

std::optional<Finding> CheckExpiryBoundary(const Trace& trace, const Limits& limits) {
  History history(trace, limits);
  for (size_t i = 0; i < trace.size(); ++i) {
    const Op& op = trace.ops[i];
    const Outcome& outcome = trace.outcomes[i];
    const uint64_t now = history.Now(i);
    if (const auto* m = std::get_if<op::CreateMemory>(&op); m && outcome.ok() && !m->key.empty()) {
      const Scope scope{m->capsule.n, m->caller, m->key};
      const uint32_t got = Returned<IdKind::kMemory>(outcome);
      if (const History::MemoryRecord* r = history.LatestRecord(scope)) {
        const uint64_t age = now - r->created_at;
        if (!history.IsLive(*r, i) && !trace.IsNew(i, IdKind::kMemory, got)) {
          return At(i, "M8",
                    absl::StrCat("the record of ", ToString(MemoryRef{r->memory}), " is ", age,
                                 " s old (retention ", limits.retention_seconds,
                                 " s), so the key is new again, yet the create returned ",
                                 ToString(outcome)));
        }
        if (history.IsLive(*r, i) && r->payload == m->payload && got != r->memory) {
          return At(i, "M8",
                    absl::StrCat("the record of ", ToString(MemoryRef{r->memory}), " is only ", age,
                                 " s old (retention ", limits.retention_seconds,
                                 " s), yet the create returned ", ToString(outcome)));
        }
      }
    }
    if (const auto* u = std::get_if<op::BeginUpload>(&op); u && outcome.ok() && !u->key.empty()) {
      const Scope scope{u->capsule.n, u->caller, u->key};
      const History::Session* s = history.LatestSessionOf(scope);
      const uint32_t got = Returned<IdKind::kSession>(outcome);
      const uint32_t held = history.LatestSessionIdOf(scope);
      if (s != nullptr && !s->aborted && !history.HoldsKey(*s, i) &&
          !trace.IsNew(i, IdKind::kSession, got)) {
        return At(i, "U6",
                  absl::StrCat(ToString(SessionRef{held}), " begun ", now - s->begun_at,
                               " s ago no longer holds its key, yet BeginUpload returned ",
                               ToString(outcome)));
      }
      if (s != nullptr && history.HoldsKey(*s, i) && s->expected == u->expected_chunks &&
          got != held) {
        return At(i, "U1",
                  absl::StrCat(ToString(SessionRef{held}), " begun ", now - s->begun_at,
                               " s ago still holds the key, yet BeginUpload returned ",
                               ToString(outcome)));
      }
    }
    // U6: an expired pending session behaves as aborted.
    const SessionRef* session = nullptr;
    if (const auto* p = std::get_if<op::PutChunk>(&op)) session = &p->session;
    if (const auto* f = std::get_if<op::FinishUpload>(&op)) session = &f->session;
    if (const auto* a = std::get_if<op::AbortUpload>(&op)) session = &a->session;
    if (session != nullptr) {
      const History::Session* s = history.FindSession(session->n);
      if (s != nullptr && history.IsExpired(*s, i) && outcome.code != Code::kNotFound) {
        return At(i, "U6",
                  absl::StrCat(ToString(*session), " was begun ", now - s->begun_at,
                               " s ago (session TTL ", limits.session_ttl_seconds,
                               " s) and is expired, yet the call returned ", ToString(outcome)));
      }
    }
    // F4: a tombstone frees its ID exactly `retention` after the delete.
    const auto named = [&](const auto* tomb, const std::string& caller, CapsuleRef capsule,
                           const auto& payload, bool may_fail) -> std::optional<Finding> {
      if (tomb == nullptr) return std::nullopt;
      const uint64_t age = now - tomb->deleted_at;
      const bool same = tomb->capsule == capsule && tomb->payload == payload;
      if (history.InWindow(*tomb, i) && !same && outcome.ok()) {
        return At(
            i, "F4",
            absl::StrCat("the ID was deleted ", age, " s ago (retention ", limits.retention_seconds,
                         " s) and its tombstone holds it, yet a create with another "
                         "capsule or payload returned ",
                         ToString(outcome)));
      }
      if (!history.InWindow(*tomb, i) && !may_fail && !outcome.ok() &&
          HasAccess(trace.Before(i), capsule, caller)) {
        return At(
            i, "F4",
            absl::StrCat("the ID was deleted ", age, " s ago (retention ", limits.retention_seconds,
                         " s) and is free again, yet the create returned ", ToString(outcome)));
      }
      return std::nullopt;
    };
    std::optional<Finding> found;
    if (const auto* g = std::get_if<op::CreateGallery>(&op);
        g && !FindLive<GalleryPayload>(trace.Before(i), g->id)) {
      found = named(history.GalleryTombstone(g->id), g->caller, g->capsule, g->payload, false);
    }
    if (const auto* f = std::get_if<op::CreateFolder>(&op);
        f && !FindLive<FolderPayload>(trace.Before(i), f->id)) {
      // A parent may be gone (F5), so only the tombstone's hold is certain.
      found = named(history.FolderTombstone(f->id), f->caller, f->capsule, f->payload, true);
    }
    if (found) return found;
    history.Step(i);
  }
  return std::nullopt;
}

std::optional<Finding> CheckIdsNeverReused(const Trace& trace, const Limits& limits) {
  History history(trace, limits);
  for (size_t i = 0; i < trace.size(); ++i) {
    const Op& op = trace.ops[i];
    const Outcome& outcome = trace.outcomes[i];
    if (!outcome.ok()) {
      history.Step(i);
      continue;
    }
    std::string reused;  // why returning a known ID here hands it out twice
    const char* rule = "";
    if (const auto* m = std::get_if<op::CreateMemory>(&op)) {
      const uint32_t got = Returned<IdKind::kMemory>(outcome);
      const Scope scope{m->capsule.n, m->caller, m->key};
      const History::MemoryOrigin* origin = history.Origin(got);
      const History::MemoryRecord* live = m->key.empty() ? nullptr : history.LiveRecord(scope, i);
      if (!trace.IsNew(i, IdKind::kMemory, got) && origin != nullptr &&
          (live == nullptr || live->memory != got)) {
        reused =
            absl::StrCat(ToString(MemoryRef{got}), " was created at ", Step(origin->step), " for ",
                         ToString(origin->scope), " and no live record of this scope names it");
        rule = "M3";
      }
    } else if (const auto* u = std::get_if<op::BeginUpload>(&op)) {
      const uint32_t got = Returned<IdKind::kSession>(outcome);
      const History::Session* s = history.FindSession(got);
      if (!trace.IsNew(i, IdKind::kSession, got) && s != nullptr &&
          (u->key.empty() || s->scope != Scope{u->capsule.n, u->caller, u->key} ||
           !history.HoldsKey(*s, i))) {
        reused = absl::StrCat(ToString(SessionRef{got}), " was begun at ", Step(s->step), " for ",
                              ToString(s->scope), " and does not hold this key");
        rule = "U1";
      }
    } else if (const auto* f = std::get_if<op::FinishUpload>(&op)) {
      const uint32_t got = Returned<IdKind::kBlob>(outcome);
      std::optional<uint32_t> owner = history.SessionOfBlob(got);
      if (!trace.IsNew(i, IdKind::kBlob, got) && owner && *owner != f->session.n) {
        reused =
            absl::StrCat(ToString(BlobRef{got}), " is the blob of ", ToString(SessionRef{*owner}));
        rule = "U4";
      }
    } else if (const auto* c = std::get_if<op::CreateCapsule>(&op)) {
      const CapsuleRef got{Returned<IdKind::kCapsule>(outcome)};
      const CapsuleState* known = FindCapsule(trace.Before(i), got);
      if (!trace.IsNew(i, IdKind::kCapsule, got.n) &&
          (known == nullptr || known->subject != c->subject ||
           !Contains(known->owners, c->caller))) {
        reused = absl::StrCat(ToString(got), " is not a capsule of subject ", c->subject,
                              " owned by ", c->caller);
        rule = "C1";
      }
    }
    if (!reused.empty()) {
      return At(
          i, rule,
          absl::StrCat("returned ", ToString(outcome), ", an ID handed out before: ", reused));
    }
    history.Step(i);
  }
  return std::nullopt;
}

std::optional<Finding> CheckUnauthorized(const Trace& trace, const Limits& limits,
                                         const Probe& probe) {
  History history(trace, limits);
  for (size_t i = 0; i < trace.size(); ++i) {
    const Op& op = trace.ops[i];
    const Outcome& outcome = trace.outcomes[i];
    const State& before = trace.Before(i);
    std::optional<Outcome> want;
    std::string why;
    std::visit(
        [&](const auto& o) {
          using T = std::decay_t<decltype(o)>;
          if constexpr (std::is_same_v<T, op::CreateCapsule>) {
            if (o.caller == kAnonymous) {
              want = probe(op);
              why = "the anonymous caller";
            }
          } else if constexpr (requires { o.capsule; }) {
            if (FindCapsule(before, o.capsule) != nullptr &&
                !HasAccess(before, o.capsule, o.caller)) {
              want = probe(op);
              why = absl::StrCat(o.caller, " has no access to ", ToString(o.capsule));
            }
          } else if constexpr (requires { o.session; }) {
            const History::Session* s = history.FindSession(o.session.n);
            if (s != nullptr && !s->aborted && !history.IsExpired(*s, i) &&
                (s->scope.caller != o.caller ||
                 !HasAccess(before, CapsuleRef{s->scope.capsule}, o.caller))) {
              want = Outcome{.code = Code::kUnauthorized};
              why = absl::StrCat(ToString(o.session), " is ", s->scope.caller, "'s session in ",
                                 ToString(CapsuleRef{s->scope.capsule}), " and ", o.caller,
                                 " may not act on it");
            }
          }
        },
        op);
    if (want.has_value()) {
      if (outcome != *want) {
        return At(i, "G3",
                  absl::StrCat(why, ": expected ", ToString(*want),
                               " whatever the store holds, got ", ToString(outcome)));
      }
      if (trace.states[i] != before) {
        return At(i, "G3", absl::StrCat(why, ", yet the call changed the state"));
      }
    }
    history.Step(i);
  }
  return std::nullopt;
}

}  // namespace idemcheck::properties
