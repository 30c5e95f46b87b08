// The trace format: what the writer emits the reader takes back unchanged, raw IDs are renamed
// as a Driver renames them (E1), and malformed lines are refused with their line and column.

#include <cstdint>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "idemcheck/driver.h"
#include "idemcheck/ops.h"
#include "idemcheck/printer.h"
#include "idemcheck/registry.h"
#include "properties/generators.h"
#include "traces/trace.h"
#include "traces/trace_reader.h"
#include "traces/trace_writer.h"

namespace idemcheck::traces {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

struct Read {
  TraceHeader header;
  std::vector<TraceStep> steps;
};

absl::StatusOr<Read> ReadAll(const std::string& text, bool require_outcomes = false) {
  std::istringstream in(text);
  absl::StatusOr<TraceReader> reader =
      TraceReader::Open(in, {.require_outcomes = require_outcomes});
  if (!reader.ok()) return reader.status();
  Read read{.header = reader->header()};
  while (true) {
    absl::StatusOr<std::optional<TraceStep>> step = reader->Next();
    if (!step.ok()) return step.status();
    if (!*step) return read;
    read.steps.push_back(std::move(**step));
  }
}

std::string WriteOrdinal(const std::vector<Op>& ops, const std::vector<Outcome>& outcomes = {},
                         const Limits& limits = {}) {
  std::ostringstream out;
  TraceWriter writer = TraceWriter::WithOrdinals(out, limits, "test");
  for (size_t i = 0; i < ops.size(); ++i) {
    if (i < outcomes.size()) {
      writer.Write(ops[i], outcomes[i]);
    } else {
      writer.Write(ops[i]);
    }
  }
  return out.str();
}

std::vector<Op> OpsOf(const Read& read) {
  std::vector<Op> ops;
  for (const TraceStep& step : read.steps) ops.push_back(step.op);
  return ops;
}

constexpr char kOrdinalHeader[] = R"({"idemcheck_trace": 1, "ids": "ordinal"})";
constexpr char kRawHeader[] = R"({"idemcheck_trace": 1, "ids": "raw"})";

TEST(TraceFormat, HeaderCarriesVersionSpellingLimitsAndProducer) {
  Limits limits{.retention_seconds = 10, .session_ttl_seconds = 5, .max_pending_sessions = 3};
  std::ostringstream out;
  TraceWriter::WithOrdinals(out, limits, "gen --seed 1");
  absl::StatusOr<Read> read = ReadAll(out.str());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->header.version, kTraceFormatVersion);
  EXPECT_EQ(read->header.ids, IdSpelling::kOrdinal);
  EXPECT_EQ(read->header.limits, limits);
  EXPECT_EQ(read->header.producer, "gen --seed 1");
  EXPECT_TRUE(read->steps.empty());
}

TEST(TraceFormat, LimitsNotGivenAreTheContractDefaults) {
  absl::StatusOr<Read> read =
      ReadAll(R"({"idemcheck_trace": 1, "ids": "raw", "limits": {"retention_seconds": 30}})");
  ASSERT_TRUE(read.ok()) << read.status();
  Limits expected;
  expected.retention_seconds = 30;
  EXPECT_EQ(read->header.limits, expected);
  EXPECT_EQ(read->header.ids, IdSpelling::kRaw);
}

// Every operation the generators draw, in every profile, survives writing and reading: the
// text written again from what was read is the same text.
TEST(TraceFormat, EveryGeneratedOperationRoundTrips) {
  for (const properties::ProfileInfo& profile : properties::Profiles()) {
    absl::StatusOr<std::vector<Op>> ops = properties::SampleOps(11, 400, profile.name);
    ASSERT_TRUE(ops.ok()) << ops.status();
    const std::string text = WriteOrdinal(*ops);
    absl::StatusOr<Read> read = ReadAll(text);
    ASSERT_TRUE(read.ok()) << profile.name << ": " << read.status();
    ASSERT_EQ(read->steps.size(), ops->size());
    EXPECT_EQ(WriteOrdinal(OpsOf(*read)), text) << profile.name;
  }
}

TEST(TraceFormat, EveryKindOfOperationAppearsInTheRoundTrip) {
  std::vector<bool> seen(std::variant_size_v<Op>);
  for (const properties::ProfileInfo& profile : properties::Profiles()) {
    absl::StatusOr<std::vector<Op>> ops = properties::SampleOps(11, 400, profile.name);
    ASSERT_TRUE(ops.ok());
    for (const Op& op : *ops) seen[op.index()] = true;
  }
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_TRUE(seen[i]) << "operation #" << i;
}

// Outcomes of every shape (IDs, payloads, listings, errors with messages) come back equal, with
// their messages.
TEST(TraceFormat, EveryOutcomeRoundTrips) {
  std::vector<bool> shapes(std::variant_size_v<Value>);
  for (const properties::ProfileInfo& profile : properties::Profiles()) {
    absl::StatusOr<std::vector<Op>> ops = properties::SampleOps(5, 1000, profile.name);
    ASSERT_TRUE(ops.ok());
    absl::StatusOr<std::unique_ptr<Store>> store = Registry::Global().Create("reference");
    ASSERT_TRUE(store.ok());
    Driver driver(**store);
    std::vector<Outcome> outcomes;
    for (const Op& op : *ops) {
      outcomes.push_back(driver.Apply(op));
      shapes[outcomes.back().value.index()] = true;
    }
    absl::StatusOr<Read> read = ReadAll(WriteOrdinal(*ops, outcomes));
    ASSERT_TRUE(read.ok()) << read.status();
    ASSERT_EQ(read->steps.size(), outcomes.size());
    for (size_t i = 0; i < outcomes.size(); ++i) {
      ASSERT_TRUE(read->steps[i].outcome.has_value());
      EXPECT_EQ(*read->steps[i].outcome, outcomes[i]) << "line " << read->steps[i].line;
      EXPECT_EQ(read->steps[i].outcome->message, outcomes[i].message);
      EXPECT_FALSE(read->steps[i].unavailable);
    }
  }
  for (size_t i = 0; i < shapes.size(); ++i) EXPECT_TRUE(shapes[i]) << "value shape #" << i;
}

TEST(TraceFormat, BytesThatAreNotUtf8TravelAsBase64) {
  const std::string binary("\xff\x00\xfe jpeg", 8);
  const std::string utf8 = "caf\xc3\xa9 \xf0\x9f\x93\xb7";  // "café 📷"
  op::CreateMemory create{.caller = "alice",
                          .capsule = CapsuleRef{1},
                          .payload = {.title = utf8, .content = binary},
                          .key = "k1"};
  const std::string text = WriteOrdinal({create});
  EXPECT_THAT(text, HasSubstr(R"("content":{"base64":")"));
  EXPECT_THAT(text, HasSubstr("\"title\":\"" + utf8 + "\""));
  absl::StatusOr<Read> read = ReadAll(text);
  ASSERT_TRUE(read.ok()) << read.status();
  const auto& got = std::get<op::CreateMemory>(read->steps[0].op);
  EXPECT_EQ(got.payload.content, binary);
  EXPECT_EQ(got.payload.title, utf8);
}

// Any byte string at all, in every field that carries bytes.
TEST(TraceFormat, ArbitraryBytesRoundTrip) {
  std::mt19937 random(7);
  for (int i = 0; i < 2000; ++i) {
    std::string bytes(random() % 12, '\0');
    for (char& c : bytes) c = static_cast<char>(random() % 256);
    // Mostly-UTF-8 strings too, so that near misses of the UTF-8 rules are covered.
    if (i % 2 == 0) {
      for (char& c : bytes) c = static_cast<char>(0x80 + random() % 0x40 + (random() % 4) * 0x20);
    }
    op::PutChunk put{.caller = bytes, .session = SessionRef{2}, .index = 1, .bytes = bytes};
    absl::StatusOr<Read> read = ReadAll(WriteOrdinal({put}));
    ASSERT_TRUE(read.ok()) << read.status();
    const auto& got = std::get<op::PutChunk>(read->steps[0].op);
    ASSERT_EQ(got.bytes, bytes);
    ASSERT_EQ(got.caller, bytes);
  }
}

TEST(TraceFormat, DigestsAreSixteenHexDigitsAndKeepAllSixtyFourBits) {
  op::FinishUpload finish{.caller = "alice",
                          .session = SessionRef{1},
                          .total_len = UINT64_MAX,
                          .digest = 0xfedcba9876543210ULL};
  const std::string text = WriteOrdinal({finish});
  EXPECT_THAT(text, HasSubstr(R"("digest":"fedcba9876543210")"));
  absl::StatusOr<Read> read = ReadAll(text);
  ASSERT_TRUE(read.ok()) << read.status();
  const auto& got = std::get<op::FinishUpload>(read->steps[0].op);
  EXPECT_EQ(got.digest, 0xfedcba9876543210ULL);
  EXPECT_EQ(got.total_len, UINT64_MAX);
}

// The n-th distinct raw ID of a kind that an outcome returns is ref n, per kind; an argument
// naming an ID no outcome returned yet is ref 0, and that ID is named when an outcome returns it.
TEST(TraceFormat, E1_raw_ids_are_renamed_in_order_of_first_appearance) {
  const std::string text = std::string(kRawHeader) + R"(
{"op": "CreateCapsule", "caller": "alice", "subject": "alice", "outcome": {"code": "Ok", "value": "cap-77"}}
{"op": "GetMemory", "caller": "alice", "capsule": "cap-77", "memory": "mem-b", "outcome": {"code": "NotFound"}}
{"op": "CreateMemory", "caller": "alice", "capsule": "cap-77", "payload": {"title": "t", "content": "c"}, "key": "", "outcome": {"code": "Ok", "value": "mem-a"}}
{"op": "ListMemories", "caller": "alice", "capsule": "cap-77", "outcome": {"code": "Ok", "value": [{"id": "mem-a", "title": "t", "content": "c"}, {"id": "mem-b", "title": "u", "content": "d"}]}}
{"op": "GetMemory", "caller": "alice", "capsule": "cap-77", "memory": "mem-b", "outcome": {"code": "NotFound"}}
{"op": "CreateCapsule", "caller": "bob", "subject": "bob", "outcome": {"code": "Ok", "value": "mem-a"}}
)";
  absl::StatusOr<Read> read = ReadAll(text, /*require_outcomes=*/true);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->steps.size(), 6u);
  EXPECT_EQ(std::get<CapsuleRef>(read->steps[0].outcome->value), CapsuleRef{1});
  EXPECT_EQ(std::get<op::GetMemory>(read->steps[1].op).memory, MemoryRef{0});
  EXPECT_EQ(std::get<op::CreateMemory>(read->steps[2].op).capsule, CapsuleRef{1});
  EXPECT_EQ(std::get<MemoryRef>(read->steps[2].outcome->value), MemoryRef{1});
  const auto& listed = std::get<std::vector<MemoryEntry>>(read->steps[3].outcome->value);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, MemoryRef{1});
  EXPECT_EQ(listed[1].id, MemoryRef{2});
  EXPECT_EQ(std::get<op::GetMemory>(read->steps[4].op).memory, MemoryRef{2});
  // Kinds are named separately: a capsule ID spelled like a memory ID is another ID.
  EXPECT_EQ(std::get<CapsuleRef>(read->steps[5].outcome->value), CapsuleRef{2});
}

// A trace written from a Driver's run with the store's own IDs reads back as that run's symbolic
// outcomes: the reader's renaming is the Driver's.
TEST(TraceFormat, E1_store_ids_read_back_as_the_drivers_refs) {
  for (const std::string impl : {"reference", "impl"}) {
    absl::StatusOr<std::vector<Op>> ops = properties::SampleOps(3, 800, "mixed");
    ASSERT_TRUE(ops.ok());
    absl::StatusOr<std::unique_ptr<Store>> store = Registry::Global().Create(impl);
    ASSERT_TRUE(store.ok()) << store.status();
    Driver driver(**store);
    std::ostringstream out;
    TraceWriter writer = TraceWriter::WithStoreIds(out, Limits{}, impl, driver.renaming());
    std::vector<Outcome> outcomes;
    for (const Op& op : *ops) {
      outcomes.push_back(driver.Apply(op));
      writer.Write(op, outcomes.back());
    }
    absl::StatusOr<Read> read = ReadAll(out.str(), /*require_outcomes=*/true);
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_EQ(read->header.ids, IdSpelling::kRaw);
    ASSERT_EQ(read->steps.size(), outcomes.size());
    for (size_t i = 0; i < outcomes.size(); ++i) {
      EXPECT_EQ(*read->steps[i].outcome, outcomes[i]) << impl << " " << ToString((*ops)[i]);
    }
  }
}

TEST(TraceFormat, UnavailableCallsAreMarked) {
  std::ostringstream out;
  TraceWriter writer = TraceWriter::WithOrdinals(out, Limits{}, "");
  writer.WriteUnavailable(op::CreateCapsule{"alice", "alice"}, "injected fault");
  EXPECT_THAT(out.str(),
              HasSubstr(R"("outcome":{"code":"Unavailable","message":"injected fault"})"));
  absl::StatusOr<Read> read = ReadAll(out.str());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(read->steps[0].unavailable);
  EXPECT_EQ(read->steps[0].outcome->code, Code::kOutsideContract);
  EXPECT_EQ(read->steps[0].outcome->message, "injected fault");
}

TEST(TraceFormat, ExtensionMembersBlankLinesAndLineNumbers) {
  const std::string text = std::string(kOrdinalHeader) + "\n\n   \r\n" +
                           R"({"op": "Upgrade", "x-latency-ms": 12, "x-note": {"any": [1]}})" +
                           "\n\n" + R"({"op": "AdvanceClock", "seconds": 5})" + "\n";
  absl::StatusOr<Read> read = ReadAll(text);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->steps.size(), 2u);
  EXPECT_EQ(read->steps[0].line, 4u);
  EXPECT_EQ(read->steps[1].line, 6u);
  EXPECT_EQ(std::get<op::AdvanceClock>(read->steps[1].op).seconds, 5u);
}

// ---- Malformed input: the line, the column and what was expected ------------------------------

struct Malformed {
  std::string name;
  std::string text;
  std::string location;  // "line L, column C: "
  std::string says;      // part of the rest of the message
};

std::string Trace(absl::string_view header, absl::string_view line) {
  return absl::StrCat(header, "\n", line, "\n");
}

std::vector<Malformed> MalformedCases() {
  return {
      {"empty input", "", "line 1, column 1: ", "expected the header line"},
      {"operation before the header", R"({"op": "Upgrade"})",
       "line 1, column 1: ", "before the first operation"},
      {"unknown version", R"({"idemcheck_trace": 2, "ids": "raw"})", "line 1, column 2: ",
       "expected format version 1 (the only version this build reads), found the integer 2"},
      {"unknown id spelling", R"({"idemcheck_trace": 1, "ids": "uuid"})",
       "line 1, column 24: ", R"(ids: expected "ordinal" or "raw", found the string "uuid")"},
      {"misspelt limit", R"({"idemcheck_trace": 1, "ids": "raw", "limits": {"retention": 5}})",
       "line 1, column 49: ", "limits.retention: unexpected member; expected retention_seconds"},
      {"negative limit",
       R"({"idemcheck_trace": 1, "ids": "raw", "limits": {"max_title_bytes": -1}})",
       "line 1, column 49: ",
       "limits.max_title_bytes: expected a whole number from 0 to 4294967295"},
      {"invalid JSON", Trace(kOrdinalHeader, R"({"op": "Upgrade",})"),
       "line 2, column 18: ", "invalid JSON: syntax error while parsing object key"},
      {"truncated line", Trace(kOrdinalHeader, R"({"op": "AdvanceClock", "seconds": 5)"),
       "line 2, column 36: ", "invalid JSON"},
      {"not an object", Trace(kOrdinalHeader, "[1, 2]"),
       "line 2, column 1: ", "expected an object: one operation, found the array [1,2]"},
      {"unknown operation", Trace(kOrdinalHeader, R"({"op": "CreateAlbum"})"),
       "line 2, column 2: ", "op: expected an operation name, one of CreateCapsule, Grant"},
      {"second header", Trace(kOrdinalHeader, kOrdinalHeader),
       "line 2, column 1: ", "a second header line"},
      {"missing member", Trace(kOrdinalHeader, R"({"op": "CreateCapsule", "caller": "alice"})"),
       "line 2, column 1: ", R"(missing member "subject": a string)"},
      {"misspelt member",
       Trace(kOrdinalHeader,
             R"({"op": "CreateCapsule", "caller": "alice", "subject": "a", "subjet": "b"})"),
       "line 2, column 60: ",
       "subjet: unexpected member; expected caller, subject, op, outcome (or an extension"},
      {"raw ID in an ordinal trace",
       Trace(kOrdinalHeader, R"({"op": "ListMemories", "caller": "alice", "capsule": "c-1"})"),
       "line 2, column 43: ",
       R"(capsule: expected a capsule ordinal: a whole number n, the n-th distinct capsule ID returned so far, found the string "c-1")"},
      {"ordinal in a raw trace",
       Trace(kRawHeader, R"({"op": "ListMemories", "caller": "alice", "capsule": 1})"),
       "line 2, column 43: ", "capsule: expected a capsule ID: a string, the store's own ID"},
      {"index past 32 bits",
       Trace(
           kOrdinalHeader,
           R"({"op": "PutChunk", "caller": "a", "session": 1, "index": 4294967296, "bytes": ""})"),
       "line 2, column 49: ", "index: expected a whole number from 0 to 4294967295"},
      {"fractional seconds", Trace(kOrdinalHeader, R"({"op": "AdvanceClock", "seconds": 1.5})"),
       "line 2, column 24: ",
       "seconds: expected a whole number from 0 to 18446744073709551615, "
       "found the number 1.5"},
      {"short digest",
       Trace(
           kOrdinalHeader,
           R"({"op": "FinishUpload", "caller": "a", "session": 1, "total_len": 3, "digest": "abc"})"),
       "line 2, column 69: ", "digest: expected a digest: a string of 16 hex digits"},
      {"bad base64",
       Trace(
           kOrdinalHeader,
           R"({"op": "PutChunk", "caller": "a", "session": 1, "index": 0, "bytes": {"base64": "*"}})"),
       "line 2, column 61: ", "bytes: expected a string (or {\"base64\": \"...\"}"},
      {"bad role",
       Trace(kOrdinalHeader,
             R"({"op": "Grant", "caller": "a", "capsule": 1, "principal": "b", "role": "admin"})"),
       "line 2, column 64: ",
       R"(role: expected "owner" or "controller", found the string "admin")"},
      {"folder parent of the wrong type",
       Trace(
           kOrdinalHeader,
           R"({"op": "CreateFolder", "caller": "a", "capsule": 1, "id": "x", "payload": {"name": "n", "parent": 7}})"),
       "line 2, column 89: ", "payload.parent: expected null or a string"},
      {"missing outcome where required", Trace(kOrdinalHeader, R"({"op": "Upgrade"})"),
       "line 2, column 1: ", R"(missing member "outcome": what the store returned)"},
      {"unknown code", Trace(kOrdinalHeader, R"({"op": "Upgrade", "outcome": {"code": "Okay"}})"),
       "line 2, column 31: ", "outcome.code: expected one of Ok, InvalidArgument"},
      {"Ok without its value",
       Trace(
           kOrdinalHeader,
           R"({"op": "CreateCapsule", "caller": "a", "subject": "b", "outcome": {"code": "Ok"}})"),
       "line 2, column 56: ", R"(outcome: missing member "value": a capsule ordinal)"},
      {"value with an error",
       Trace(
           kOrdinalHeader,
           R"({"op": "CreateCapsule", "caller": "a", "subject": "b", "outcome": {"code": "NotFound", "value": 1}})"),
       "line 2, column 88: ", "outcome.value: unexpected value: an error outcome carries none"},
      {"value where none is returned",
       Trace(kOrdinalHeader, R"({"op": "Upgrade", "outcome": {"code": "Ok", "value": 1}})"),
       "line 2, column 45: ", "outcome.value: unexpected value: Upgrade returns none"},
      {"listing entry without a title",
       Trace(
           kRawHeader,
           R"({"op": "ListMemories", "caller": "a", "capsule": "c", "outcome": {"code": "Ok", "value": [{"id": "m", "title": "t", "content": ""}, {"id": "n", "content": ""}]}})"),
       "line 2, column 133: ", R"(outcome.value[1]: missing member "title")"},
  };
}

TEST(TraceFormat, MalformedLinesAreRefusedWithLineColumnAndWhatWasExpected) {
  for (const Malformed& c : MalformedCases()) {
    const bool require_outcomes = c.name == "missing outcome where required";
    absl::StatusOr<Read> read = ReadAll(c.text, require_outcomes);
    ASSERT_FALSE(read.ok()) << c.name;
    EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_THAT(std::string(read.status().message()), StartsWith(c.location)) << c.name;
    EXPECT_THAT(std::string(read.status().message()), HasSubstr(c.says)) << c.name;
  }
}

}  // namespace
}  // namespace idemcheck::traces
