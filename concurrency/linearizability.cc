#include "concurrency/linearizability.h"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "idemcheck/printer.h"
#include "reference/reference_store.h"

namespace idemcheck::concurrency {
namespace {

// `outcome` with every store-chosen ID renamed by `rename(kind, n)`.
template <typename F>
Outcome MapRefs(const Outcome& outcome, F rename) {
  Outcome out = outcome;
  std::visit(
      [&](auto& value) {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, std::vector<MemoryEntry>>) {
          for (MemoryEntry& e : value) e.id.n = rename(IdKind::kMemory, e.id.n);
        } else if constexpr (requires { T::kKind; }) {
          value.n = rename(T::kKind, value.n);
        }
      },
      out.value);
  return out;
}

// A call's outcome renamed from its thread's ordinals to those of `names`, which learns the IDs
// it has not seen yet.
Outcome Rename(const ParallelHistory& history, const Call& call, Renaming& names) {
  const Renaming& thread = history.thread_names[call.thread];
  return MapRefs(call.outcome, [&](IdKind kind, uint32_t n) {
    return names.Name(kind, thread.Resolve(kind, n));
  });
}

bool IsRead(const Op& op) {
  return std::holds_alternative<op::GetMemory>(op) ||
         std::holds_alternative<op::ListMemories>(op) ||
         std::holds_alternative<op::GetGallery>(op) ||
         std::holds_alternative<op::ListGalleries>(op) ||
         std::holds_alternative<op::GetFolder>(op) || std::holds_alternative<op::ListFolders>(op);
}

// ---- Independent groups --------------------------------------------------------------------

// The parts of the store a call can read or change. Calls whose footprints are disjoint commute
// and never see each other's effects. nullopt: the whole store (new capsules, the clock).
std::optional<std::vector<std::string>> Footprint(
    const Op& op, const absl::flat_hash_map<uint32_t, uint32_t>& session_capsule) {
  std::vector<std::string> keys;
  bool global = false;
  std::visit(
      [&](const auto& o) {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, op::CreateCapsule> || std::is_same_v<T, op::AdvanceClock> ||
                      std::is_same_v<T, op::Upgrade>) {
          global = true;
        } else if constexpr (requires { o.session; }) {
          auto it = session_capsule.find(o.session.n);
          keys.push_back(it != session_capsule.end() ? absl::StrCat("c", it->second)
                                                     : absl::StrCat("u", o.session.n));
        } else {
          keys.push_back(absl::StrCat("c", o.capsule.n));
          // Gallery and folder IDs are global per kind (F1); a parent is read across its capsule.
          if constexpr (std::is_same_v<T, op::CreateGallery> ||
                        std::is_same_v<T, op::DeleteGallery>) {
            keys.push_back(absl::StrCat("g", o.id));
          } else if constexpr (std::is_same_v<T, op::CreateFolder>) {
            keys.push_back(absl::StrCat("f", o.id));
            if (o.payload.parent) keys.push_back(absl::StrCat("f", *o.payload.parent));
          } else if constexpr (std::is_same_v<T, op::DeleteFolder>) {
            keys.push_back(absl::StrCat("f", o.id));
          }
        }
      },
      op);
  if (global) return std::nullopt;
  return keys;
}

// Groups of call indices, each in index order; calls of different groups are independent.
std::vector<std::vector<size_t>> IndependentGroups(const ParallelHistory& history) {
  // Sessions the prefix began, by the capsule they belong to.
  absl::flat_hash_map<uint32_t, uint32_t> session_capsule;
  for (size_t i = 0; i < history.prefix.size() && i < history.prefix_outcomes.size(); ++i) {
    const auto* begin = std::get_if<op::BeginUpload>(&history.prefix[i]);
    const auto* session = std::get_if<SessionRef>(&history.prefix_outcomes[i].value);
    if (begin != nullptr && session != nullptr) session_capsule[session->n] = begin->capsule.n;
  }
  const size_t n = history.calls.size();
  std::vector<size_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  absl::flat_hash_map<std::string, size_t> owner;
  for (size_t i = 0; i < n; ++i) {
    std::optional<std::vector<std::string>> keys = Footprint(history.calls[i].op, session_capsule);
    if (!keys)
      return {[&] {
        std::vector<size_t> all(n);
        std::iota(all.begin(), all.end(), 0);
        return all;
      }()};
    for (const std::string& key : *keys) {
      auto [it, inserted] = owner.try_emplace(key, i);
      if (!inserted) parent[find(i)] = find(it->second);
    }
  }
  absl::flat_hash_map<size_t, size_t> group_of_root;
  std::vector<std::vector<size_t>> groups;
  for (size_t i = 0; i < n; ++i) {
    auto [it, inserted] = group_of_root.try_emplace(find(i), groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  return groups;
}

// ---- The search ----------------------------------------------------------------------------

struct Mismatch {
  size_t call;
  Outcome expected;  // the model's, named along the order
  Outcome actual;    // the recorded one, named along the order
};

// Depth-first search over the orders of one group's calls, from the model after the prefix.
class OrderSearch {
 public:
  OrderSearch(const ParallelHistory& history, std::vector<size_t> calls, uint64_t max_nodes)
      : history_(history), calls_(std::move(calls)), max_nodes_(max_nodes) {
    // must_follow_[i]: the calls that returned before call i was invoked.
    must_follow_.resize(calls_.size());
    for (size_t i = 0; i < calls_.size(); ++i) {
      for (size_t j = 0; j < calls_.size(); ++j) {
        if (history_.calls[calls_[j]].returned < history_.calls[calls_[i]].invoked) {
          must_follow_[i] |= uint32_t{1} << j;
        }
      }
    }
  }

  // Whether an order explains every call; `names` receives that order's renaming of the store's
  // IDs.
  bool Run(const ReferenceStore& model, const Renaming& model_names, Renaming& names) {
    std::vector<size_t> order;
    Renaming actual_names = history_.prefix_names;
    return Explore(0, model, model_names, actual_names, order, std::string(), names);
  }

  bool exhausted() const { return nodes_ > max_nodes_; }
  uint64_t nodes() const { return nodes_; }
  const std::vector<size_t>& calls() const { return calls_; }
  const std::vector<size_t>& best_order() const { return best_order_; }
  const std::vector<Outcome>& best_outcomes() const { return best_outcomes_; }
  const std::vector<Mismatch>& best_mismatches() const { return best_mismatches_; }

 private:
  bool Explore(uint32_t done, const ReferenceStore& model, const Renaming& model_names,
               const Renaming& actual_names, std::vector<size_t>& order, std::string changes,
               Renaming& result) {
    const uint32_t all = calls_.size() == 32 ? ~uint32_t{0} : (uint32_t{1} << calls_.size()) - 1;
    if (done == all) {
      result = actual_names;
      return true;
    }
    // Lowe: the model's state after an order is fixed by the calls that changed it, in order
    // (reads and errors change nothing, G5), so (done, changes) identifies a failed state.
    std::string key = absl::StrCat(done, ":", changes);
    if (failed_.contains(key)) return false;
    std::vector<Mismatch> mismatches;
    for (size_t i = 0; i < calls_.size(); ++i) {
      const uint32_t bit = uint32_t{1} << i;
      if ((done & bit) != 0 || (must_follow_[i] & ~done) != 0) continue;
      if (++nodes_ > max_nodes_) return false;
      const Call& call = history_.calls[calls_[i]];
      ReferenceStore next = model;
      Driver driver(next, model_names);
      Outcome expected = driver.Apply(call.op);
      Renaming next_names = actual_names;
      Outcome actual = Rename(history_, call, next_names);
      if (!(expected == actual)) {
        mismatches.push_back({calls_[i], std::move(expected), std::move(actual)});
        continue;
      }
      // A matching call that leaves the model as it was (a read, or an error: G5) may go first
      // without loss of generality: every call that had to precede it is done, and moving it
      // earlier changes no other call's outcome. So it is the only branch to try here.
      const bool keeps_state = !expected.ok() || IsRead(call.op);
      std::string next_changes = changes;
      if (!keeps_state) next_changes.push_back(static_cast<char>(i));
      order.push_back(calls_[i]);
      outcomes_.push_back(std::move(actual));
      const bool found = Explore(done | bit, next, driver.renaming(), next_names, order,
                                 std::move(next_changes), result);
      if (found) return true;
      order.pop_back();
      outcomes_.pop_back();
      if (exhausted() || keeps_state) break;
    }
    if (!mismatches.empty() && (best_mismatches_.empty() || order.size() > best_order_.size())) {
      best_order_ = order;
      best_outcomes_ = outcomes_;
      best_mismatches_ = std::move(mismatches);
    }
    failed_.insert(std::move(key));
    return false;
  }

  const ParallelHistory& history_;
  const std::vector<size_t> calls_;
  const uint64_t max_nodes_;
  std::vector<uint32_t> must_follow_;
  absl::flat_hash_set<std::string> failed_;
  std::vector<Outcome> outcomes_;  // along the current order
  uint64_t nodes_ = 0;
  std::vector<size_t> best_order_;
  std::vector<Outcome> best_outcomes_;
  std::vector<Mismatch> best_mismatches_;
};

std::string Explain(const ParallelHistory& history, const OrderSearch& search) {
  std::string out = absl::StrFormat(
      "No order of these %d overlapping calls explains their outcomes. The longest order that "
      "does explains %d of them (IDs named along it):\n",
      search.calls().size(), search.best_order().size());
  std::vector<Op> ops;
  for (size_t call : search.best_order()) ops.push_back(history.calls[call].op);
  out += FormatSequence(ops, search.best_outcomes());
  out += "and every call that may go next contradicts the model:\n";
  for (const Mismatch& m : search.best_mismatches()) {
    const Call& call = history.calls[m.call];
    absl::StrAppendFormat(&out, "  thread %d: %s\n    returned %s, the model says %s\n",
                          call.thread + 1, ToString(call.op), ToString(m.actual),
                          ToString(m.expected));
  }
  return out;
}

}  // namespace

LinearizabilityResult CheckLinearizable(const ParallelHistory& history,
                                        const LinearizabilityOptions& options) {
  LinearizabilityResult result;
  if (history.calls.size() > kMaxCalls) {
    result.verdict = Verdict::kInconclusive;
    result.explanation =
        absl::StrFormat("%d calls: the checker takes at most %d", history.calls.size(), kMaxCalls);
    return result;
  }
  ReferenceStore model(StoreOptions{.limits = options.limits});
  Driver prefix_driver(model);
  for (size_t i = 0; i < history.prefix.size(); ++i) {
    Outcome expected = prefix_driver.Apply(history.prefix[i]);
    if (i >= history.prefix_outcomes.size() || !(expected == history.prefix_outcomes[i])) {
      result.verdict = Verdict::kNotLinearizable;
      result.explanation = absl::StrFormat(
          "The sequential prefix already diverges at step %d: the model says %s.\n%s", i + 1,
          ToString(expected), FormatSequence(history.prefix, history.prefix_outcomes));
      return result;
    }
  }

  // Store IDs that each group saw first: one ID in two groups would be two entities.
  absl::flat_hash_map<std::pair<IdKind, StoreId>, size_t> first_group;
  for (std::vector<size_t>& group : IndependentGroups(history)) {
    ++result.groups;
    OrderSearch search(history, std::move(group), options.max_nodes - result.nodes);
    Renaming names;
    const bool found = search.Run(model, prefix_driver.renaming(), names);
    result.nodes += search.nodes();
    if (search.exhausted()) {
      result.verdict = Verdict::kInconclusive;
      result.explanation = absl::StrFormat("gave up after %d search nodes", result.nodes);
      return result;
    }
    if (!found) {
      result.verdict = Verdict::kNotLinearizable;
      result.explanation = Explain(history, search);
      return result;
    }
    for (IdKind kind : {IdKind::kCapsule, IdKind::kMemory, IdKind::kSession, IdKind::kBlob}) {
      for (uint32_t n = history.prefix_names.Seen(kind) + 1; n <= names.Seen(kind); ++n) {
        auto [it, inserted] =
            first_group.try_emplace(std::make_pair(kind, names.Resolve(kind, n)), result.groups);
        if (!inserted) {
          result.verdict = Verdict::kNotLinearizable;
          result.explanation = absl::StrFormat(
              "Independent calls (on different capsules or IDs) were handed one store ID %d "
              "as new, in groups %d and %d.\n",
              names.Resolve(kind, n), it->second, result.groups);
          return result;
        }
      }
    }
  }
  return result;
}

std::string FormatParallelHistory(const ParallelHistory& history) {
  std::string out;
  if (!history.prefix.empty()) {
    out += "Sequential prefix:\n";
    out += FormatSequence(history.prefix, history.prefix_outcomes);
  }
  const size_t threads = history.thread_names.size();
  // One naming for every column: new IDs by the order in which their calls returned.
  std::vector<size_t> by_return(history.calls.size());
  std::iota(by_return.begin(), by_return.end(), 0);
  std::sort(by_return.begin(), by_return.end(), [&](size_t a, size_t b) {
    return history.calls[a].returned < history.calls[b].returned;
  });
  Renaming names = history.prefix_names;
  std::vector<Outcome> outcomes(history.calls.size());
  for (size_t i : by_return) outcomes[i] = Rename(history, history.calls[i], names);

  std::vector<size_t> by_invocation = by_return;
  std::sort(by_invocation.begin(), by_invocation.end(), [&](size_t a, size_t b) {
    return history.calls[a].invoked < history.calls[b].invoked;
  });
  // Each call is two lines of its thread's column: the op with its ticks, then the outcome.
  std::vector<std::vector<std::string>> cells;  // per row: one string per column
  std::vector<size_t> width(threads, 0);
  for (size_t i = 0; i < threads; ++i) width[i] = absl::StrCat("thread ", i + 1).size();
  for (size_t i : by_invocation) {
    const Call& call = history.calls[i];
    std::string head =
        absl::StrFormat("[%d-%d] %s", call.invoked, call.returned, ToString(call.op));
    std::string tail = absl::StrCat("  -> ", ToString(outcomes[i]));
    for (std::string* line : {&head, &tail}) {
      std::vector<std::string> row(threads);
      width[call.thread] = std::max(width[call.thread], line->size());
      row[call.thread] = std::move(*line);
      cells.push_back(std::move(row));
    }
  }
  out += "Parallel calls, [invoked-returned] on one clock:\n";
  std::vector<std::string> header(threads);
  for (size_t i = 0; i < threads; ++i) header[i] = absl::StrCat("thread ", i + 1);
  cells.insert(cells.begin(), header);
  for (const std::vector<std::string>& row : cells) {
    std::string line;
    for (size_t t = 0; t < threads; ++t) {
      absl::StrAppend(&line, t == 0 ? "  " : " | ", row[t],
                      std::string(width[t] - row[t].size(), ' '));
    }
    line.erase(line.find_last_not_of(' ') + 1);
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

}  // namespace idemcheck::concurrency
