// Stage 3's client profile: mutual TLS with the agent's lab certificate, a
// login that carries the certificate and the password and is signed with the
// certificate's key, then every request signed the same way (ECDSA P-256,
// fresh nonce, timestamp).
#pragma once

#include "client/client_profile.h"

namespace lab::client {

const ClientProfile& certificate_profile();

}  // namespace lab::client
