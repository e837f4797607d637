#include "sealed_state_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <stdexcept>

#include "core/file_io.h"

namespace lab::testing {

SealedStateFile::SealedStateFile(std::filesystem::path path, std::string key)
    : path_(std::move(path)), key_(std::move(key)) {
  if (sodium_init() < 0 || key_.size() != crypto_secretbox_KEYBYTES) throw std::runtime_error("bad sealing key");
  std::filesystem::create_directories(path_.parent_path());
}

Json SealedStateFile::load() {
  const auto file = read_file(path_);
  if (!file) return nullptr;
  const std::string& sealed = *file;
  if (sealed.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    throw std::runtime_error("sealed state is truncated");
  }
  std::string plain(sealed.size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
  const auto* box = nonce + crypto_secretbox_NONCEBYTES;
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), box,
                                 sealed.size() - crypto_secretbox_NONCEBYTES, nonce,
                                 reinterpret_cast<const unsigned char*>(key_.data())) != 0) {
    throw std::runtime_error("sealed state does not authenticate");
  }
  return Json::parse(plain);
}

void SealedStateFile::changed(const std::function<Json()>& snapshot) { flush(snapshot); }

void SealedStateFile::flush(const std::function<Json()>& snapshot) {
  std::lock_guard lock(mutex_);
  const std::string plain = snapshot().dump();
  std::string sealed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(sealed.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plain.data()),
                        plain.size(), nonce, reinterpret_cast<const unsigned char*>(key_.data()));
  const auto tmp = path_.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + tmp);
  const bool ok = ::write(fd, sealed.data(), sealed.size()) == static_cast<ssize_t>(sealed.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write " + tmp);
  std::filesystem::rename(tmp, path_);
}

}  // namespace lab::testing
