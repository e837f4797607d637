// Stage 3 input validation: every operation's payload is checked against a
// JSON Schema (draft-04) before the operation runs.
//
// Why schema first: a value that is refused here is never stored, never
// logged as data and never forwarded to another agent, so nothing hostile
// that can be recognised by its shape gets into the system at all. Stage 2
// only bounded lengths (V-031); stage 3 states what each field *is*.
//
// Fail closed: an operation without a schema is refused (INVALID_FIELD
// "no schema for operation 'X'"), as is a schema that does not compile.
//
// What the schemas say, for every operation of the coordinator's table:
//   - the payload is an object and has no field the operation does not read
//     (`additionalProperties: false`, nested objects included);
//   - required fields are present (MISSING_FIELD names the first absent one);
//   - ids (`project_id`, `task_id`, `agent_id`) are 1-64 characters of
//     letters, digits and `_ . : -`; `assignee` the same or "" (unassigned);
//   - every string has a maxLength (name 200, description 10,000, input
//     100,000 characters — the stage 2 numbers; password 1,024; certificate
//     8 KiB of PEM text);
//   - names, ids and passwords hold no control character at all (C0, DEL,
//     C1); free text (description, input, metadata values) allows only \n
//     and \t among them; a PEM certificate is printable ASCII and line breaks;
//   - role, specialty and status are enums; `priority` an integer 0-100;
//     `expected_version` an integer >= 0;
//   - `metadata` is an object of at most 32 fields named like ids, whose
//     values are strings (at most 1,000 characters), numbers or booleans;
//   - `result` is any JSON value, at most 64 KiB as compact JSON.
// Two rules JSON Schema cannot express are checked in code after the schema:
// metadata field names and the size of `result`.
//
// Content that is legitimate text — markup, SQL fragments, paths in a
// description — is accepted: it is data, and output encoding where it is
// shown is its control, not refusal here.
//
// Errors name the field and the rule, e.g. `payload.name: longer than 200
// characters`, `payload.priority: must be at most 100`, `payload: unexpected
// field "x"`. Peer text quoted in a message is made printable first.
//
// Thread safety: check_payload may be called from any number of threads.
// Each thread compiles the schemas once, on its first call, and keeps them
// (about 0.1 MiB and 0.3 ms per thread): RapidJSON 1.1.0's regular
// expressions keep their match state inside the compiled pattern, so a
// compiled schema shared between threads corrupts concurrent matches.
#pragma once

#include <string_view>
#include <vector>

#include "core/domain.h"
#include "core/result.h"

namespace lab::stage3 {

// Checks `payload` against the schema of `operation` (a row of the
// coordinator's operation table). ok, or the first rule the payload breaks.
Status check_payload(std::string_view operation, const Json& payload);
// The same schemas for a stage whose login is a password sign-in without a certificate (stage 5).
Status check_sign_in_payload(std::string_view operation, const Json& payload);

// The operations that have a schema, in the order they are declared.
std::vector<std::string_view> operations_with_schemas();

}  // namespace lab::stage3
