// Result<T>: a value or an Error. Rejections are normal outcomes, so modules
// return them instead of throwing.
#pragma once

#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/error_code.h"

namespace lab {

struct Error {
  ErrorCode code;
  std::string message;  // human readable, safe to send to the peer
};

template <class T>
class Result;
template <class U>
inline constexpr bool is_result = false;
template <class U>
inline constexpr bool is_result<Result<U>> = true;

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  // Anything T is made from, in one step (a handler answering Result<Reply> returns a Json).
  template <class U>
    requires(std::is_constructible_v<T, U &&> && !std::is_same_v<std::decay_t<U>, T> &&
             !std::is_same_v<std::decay_t<U>, Error> && !is_result<std::decay_t<U>>)
  Result(U&& value) : v_(std::in_place_type<T>, std::forward<U>(value)) {}  // NOLINT
  Result(Error error) : v_(std::move(error)) {}      // NOLINT
  // A result of another type whose value T is made from (Result<Json> answering as Result<Reply>).
  template <class U>
    requires(std::is_constructible_v<T, U &&> && !std::is_same_v<U, T>)
  Result(Result<U>&& other)  // NOLINT
      : v_(other.ok() ? std::variant<T, Error>(std::in_place_type<T>, std::move(other).value())
                      : std::variant<T, Error>(other.error())) {}
  Result(ErrorCode code, std::string message) : v_(Error{code, std::move(message)}) {}

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<Error>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;
inline Status ok_status() { return Ok{}; }

}  // namespace lab
