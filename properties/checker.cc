#include "properties/checker.h"

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "idemcheck/driver.h"
#include "idemcheck/registry.h"
#include "properties/generators.h"
#include "rapidcheck.h"

namespace idemcheck::properties {
namespace {

// Case sizes cycle through ten steps up to max_ops, so short sequences (quick to fail, quick to
// shrink) come first and every tenth case is as long as allowed.
int SizeFor(uint64_t case_seed, size_t max_ops) {
  return static_cast<int>(max_ops * (case_seed % 10 + 1) / 10);
}

// The profile of a case, cycling every ten cases so that each profile meets every size.
size_t ProfileFor(uint64_t case_seed, size_t profiles) { return case_seed / 10 % profiles; }

using Seen = std::array<uint32_t, kIdKindCount>;

// How many IDs of each kind `subject` has handed out after each op of `ops`.
std::optional<std::vector<Seen>> SeenAfterEachOp(const Subject& subject,
                                                 const std::vector<Op>& ops) {
  absl::StatusOr<std::unique_ptr<Store>> store =
      Registry::Global().Create(subject.name, subject.options);
  if (!store.ok()) return std::nullopt;
  Driver driver(**store);
  std::vector<Seen> seen;
  for (const Op& op : ops) {
    driver.Apply(op);
    Seen counts;
    for (int k = 0; k < kIdKindCount; ++k) {
      counts[k] = driver.renaming().Seen(static_cast<IdKind>(k));
    }
    seen.push_back(counts);
  }
  return seen;
}

// `ref` after removing an op that introduced ordinals (from, to] of its kind: later ordinals
// move down, so they keep naming the same IDs.
template <IdKind K>
void Renumber(Ref<K>& ref, const Seen& from, const Seen& to) {
  const int k = static_cast<int>(K);
  if (ref.n > to[k]) ref.n -= to[k] - from[k];
}

// `ops` without op `i`, later refs renumbered as if the IDs op i introduced never existed.
std::vector<Op> WithoutOp(const std::vector<Op>& ops, size_t i, const Seen& from, const Seen& to) {
  std::vector<Op> out;
  for (size_t j = 0; j < ops.size(); ++j) {
    if (j == i) continue;
    Op op = ops[j];
    if (j > i) {
      std::visit(
          [&](auto& o) {
            if constexpr (requires { o.capsule; }) Renumber(o.capsule, from, to);
            if constexpr (requires { o.memory; }) Renumber(o.memory, from, to);
            if constexpr (requires { o.session; }) Renumber(o.session, from, to);
          },
          op);
    }
    out.push_back(std::move(op));
  }
  return out;
}

// A pass RapidCheck's shrinks cannot make: removing an op that hands out an ID shifts every later
// ref to IDs of that kind, so an op like `DeleteMemory(m4)` pins the three creates before it.
// This removes one op at a time together with the renumbering, while the property still fails.
void RemoveWithRenumbering(const Property& property, const Subject& subject, Counterexample& c,
                           size_t& tries, size_t max_tries) {
  bool removed = true;
  while (removed && tries < max_tries) {
    removed = false;
    std::optional<std::vector<Seen>> seen = SeenAfterEachOp(subject, c.ops);
    if (!seen) return;
    for (size_t i = 0; i < c.ops.size() && tries < max_tries; ++i) {
      const Seen from = i == 0 ? Seen{} : (*seen)[i - 1];
      ++tries;
      std::vector<Op> candidate = WithoutOp(c.ops, i, from, (*seen)[i]);
      if (std::optional<std::string> r = property.check(subject, candidate)) {
        c.ops = std::move(candidate);
        c.report = std::move(*r);
        ++c.shrink_steps;
        removed = true;
        break;
      }
    }
  }
}

// Greedy descent: take the first shrink that still fails, until none does.
Counterexample Shrink(const Property& property, const Subject& subject,
                      rc::Shrinkable<std::vector<Op>> failing, std::string report,
                      const CheckConfig& config) {
  Counterexample c;
  c.original_ops = failing.value().size();
  size_t tries = 0;
  bool shrunk = true;
  while (shrunk && tries < config.max_shrink_tries) {
    shrunk = false;
    rc::Seq<rc::Shrinkable<std::vector<Op>>> candidates = failing.shrinks();
    while (rc::Maybe<rc::Shrinkable<std::vector<Op>>> candidate = candidates.next()) {
      if (++tries > config.max_shrink_tries) break;
      if (std::optional<std::string> r = property.check(subject, candidate->value())) {
        failing = std::move(*candidate);
        report = std::move(*r);
        ++c.shrink_steps;
        shrunk = true;
        break;
      }
    }
  }
  c.ops = failing.value();
  c.report = std::move(report);
  RemoveWithRenumbering(property, subject, c, tries, config.max_shrink_tries);
  return c;
}

}  // namespace

absl::StatusOr<PropertyResult> CheckProperty(const Property& property, const Subject& subject,
                                             const CheckConfig& config) {
  std::vector<rc::Gen<std::vector<Op>>> gens;
  for (const std::string& profile : property.profiles) {
    absl::StatusOr<rc::Gen<std::vector<Op>>> gen =
        GenOps(profile, config.max_ops, subject.options.limits);
    if (!gen.ok()) return gen.status();
    gens.push_back(*std::move(gen));
  }
  PropertyResult result;
  result.property = &property;
  result.applicable = property.applies(subject);
  const absl::Time start = absl::Now();
  absl::Time next_progress = start + config.progress_every;
  for (size_t k = 0; result.applicable && k < config.cases; ++k) {
    if (config.on_progress && absl::Now() >= next_progress) {
      config.on_progress(property, result.cases_run);
      next_progress = absl::Now() + config.progress_every;
    }
    const uint64_t case_seed = config.seed + k;
    rc::Shrinkable<std::vector<Op>> shrinkable = gens[ProfileFor(case_seed, gens.size())](
        rc::Random(case_seed), SizeFor(case_seed, config.max_ops));
    ++result.cases_run;
    std::optional<std::string> report = property.check(subject, shrinkable.value());
    if (report) {
      result.elapsed = absl::Now() - start;
      const absl::Time shrink_start = absl::Now();
      result.counterexample =
          Shrink(property, subject, std::move(shrinkable), std::move(*report), config);
      result.counterexample->case_seed = case_seed;
      result.counterexample->shrink_time = absl::Now() - shrink_start;
      return result;
    }
  }
  result.elapsed = absl::Now() - start;
  return result;
}

absl::StatusOr<std::vector<PropertyResult>> CheckAll(
    const std::vector<const Property*>& properties, const Subject& subject,
    const CheckConfig& config, const std::function<void(const PropertyResult&)>& progress) {
  std::vector<PropertyResult> results;
  for (const Property* p : properties) {
    absl::StatusOr<PropertyResult> result = CheckProperty(*p, subject, config);
    if (!result.ok()) return result.status();
    if (progress) progress(*result);
    const bool failed = !result->passed();
    results.push_back(*std::move(result));
    if (failed) break;
  }
  return results;
}

}  // namespace idemcheck::properties
