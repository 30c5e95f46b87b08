#include "traces/json_columns.h"

#include <cstddef>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace idemcheck::traces {
namespace {

// An input iterator over the text that counts the bytes the parser has pulled. nlohmann's lexer
// pulls exactly the bytes of a token before reporting it, plus one byte of look-ahead after a
// number, so the count locates the end of the token behind each SAX event.
class CountingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator(const char* p, size_t* pulled) : p_(p), pulled_(pulled) {}
  reference operator*() const { return *p_; }
  CountingIterator& operator++() {
    ++p_;
    ++*pulled_;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator before = *this;
    ++*this;
    return before;
  }
  friend bool operator==(const CountingIterator& a, const CountingIterator& b) {
    return a.p_ == b.p_;
  }

 private:
  const char* p_;
  size_t* pulled_;
};

enum class Token { kString, kNumber, kLiteral, kOpen };

bool IsNumberByte(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// The index of the opening quote of the string whose closing quote is at `close`. Inside a JSON
// string a quote is always escaped, i.e. preceded by an odd number of backslashes.
size_t OpeningQuote(absl::string_view text, size_t close) {
  for (size_t j = close; j-- > 0;) {
    if (text[j] != '"') continue;
    size_t backslashes = 0;
    while (backslashes < j && text[j - 1 - backslashes] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return j;
  }
  return 0;
}

// The index where the token that ends at `end` (exclusive, as pulled by the lexer) begins.
size_t TokenStart(absl::string_view text, size_t end, Token token) {
  size_t i = std::min(end, text.size());
  if (i == 0) return 0;
  switch (token) {
    case Token::kOpen:
      return i - 1;
    case Token::kString:
      return OpeningQuote(text, i - 1);
    case Token::kNumber:
      if (!IsNumberByte(text[i - 1])) --i;  // the look-ahead byte
      while (i > 0 && IsNumberByte(text[i - 1])) --i;
      return i;
    case Token::kLiteral:
      while (i > 0 && text[i - 1] >= 'a' && text[i - 1] <= 'z') --i;
      return i;
  }
  return 0;
}

// Walks the SAX events of a document, keeping the path of the current value, and stops at the
// target: a member (at its name) or an array element or the root (at the value).
class Locator {
 public:
  Locator(absl::string_view text, const JsonPath& target, const size_t& pulled)
      : text_(text), target_(target), pulled_(pulled) {}

  size_t column() const { return column_; }

  bool null() { return Value(Token::kLiteral); }
  bool boolean(bool) { return Value(Token::kLiteral); }
  bool number_integer(nlohmann::json::number_integer_t) { return Value(Token::kNumber); }
  bool number_unsigned(nlohmann::json::number_unsigned_t) { return Value(Token::kNumber); }
  bool number_float(nlohmann::json::number_float_t, const std::string&) {
    return Value(Token::kNumber);
  }
  bool string(std::string&) { return Value(Token::kString); }
  bool binary(nlohmann::json::binary_t&) { return Value(Token::kLiteral); }
  bool start_object(size_t) { return Open(/*array=*/false); }
  bool start_array(size_t) { return Open(/*array=*/true); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }
  bool key(std::string& name) {
    frames_.back().key = name;
    if (AtTarget()) {
      column_ = TokenStart(text_, pulled_, Token::kString) + 1;
      return false;
    }
    return true;
  }
  bool parse_error(size_t, const std::string&, const nlohmann::json::exception&) { return false; }

 private:
  struct Frame {
    bool array = false;
    size_t next_index = 0;
    std::string key;  // objects: the member being read
  };

  // Whether the value now being read (or, in an object, the member just named) is the target.
  bool AtTarget() const {
    if (frames_.size() != target_.size()) return false;
    for (size_t i = 0; i < frames_.size(); ++i) {
      const Frame& f = frames_[i];
      const bool same =
          f.array ? target_[i] == absl::StrCat(f.next_index - 1) : target_[i] == f.key;
      if (!same) return false;
    }
    return true;
  }

  // Array elements and the root are located at their value; members were located at their name.
  bool Value(Token token) {
    if (!frames_.empty() && !frames_.back().array) return true;
    if (!frames_.empty()) ++frames_.back().next_index;
    if (AtTarget()) {
      column_ = TokenStart(text_, pulled_, token) + 1;
      return false;
    }
    return true;
  }
  bool Open(bool array) {
    if (!Value(Token::kOpen)) return false;
    frames_.push_back(Frame{.array = array});
    return true;
  }
  bool Close() {
    frames_.pop_back();
    return true;
  }

  absl::string_view text_;
  const JsonPath& target_;
  const size_t& pulled_;
  std::vector<Frame> frames_;
  size_t column_ = 1;
};

}  // namespace

size_t ColumnOf(absl::string_view text, const JsonPath& path) {
  size_t pulled = 0;
  Locator locator(text, path, pulled);
  nlohmann::json::sax_parse(CountingIterator(text.data(), &pulled),
                            CountingIterator(text.data() + text.size(), &pulled), &locator);
  return locator.column();
}

}  // namespace idemcheck::traces
