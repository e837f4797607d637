#!/bin/sh
# Starts a Sentinel of stage 4: start-sentinel.sh NAME (its compose service name).
# Sentinel rewrites its configuration as it learns the topology (which node is primary, the other Sentinels), so
# the file lives on the Sentinel's own data volume: made from sentinel.conf and the secret on the first start,
# kept afterwards. Sentinel writes the password for the data nodes into it; the volume is the Sentinel's alone.
set -eu
. /etc/lab/redis/lab-users.sh
read_password
name=$1
umask 077
if [ ! -s /data/sentinel.conf ]; then
  {
    cat /etc/lab/redis/sentinel.conf
    echo "sentinel announce-ip $name"
    echo "sentinel auth-pass lab $password"
    # Sentinels ask each other with these credentials; coordinators ask as lab-coordinator.
    echo "sentinel sentinel-user lab-sentinel"
    echo "sentinel sentinel-pass $password"
    echo "user default off"
    echo "user lab-sentinel on #$password_hash resetchannels &* +@all"
    echo "user lab-coordinator on #$password_hash resetchannels +ping +auth +hello +client|setname +sentinel|get-master-addr-by-name +sentinel|master +sentinel|sentinels +sentinel|replicas"
  } > /data/sentinel.conf.new
  mv /data/sentinel.conf.new /data/sentinel.conf
fi
exec redis-sentinel /data/sentinel.conf
