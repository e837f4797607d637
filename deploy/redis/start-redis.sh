#!/bin/sh
# Starts a Redis data node of stage 4.
#   start-redis.sh NAME              the first primary (NAME: its compose service name)
#   start-redis.sh NAME PRIMARY      a replica of PRIMARY (Sentinel may promote it later)
# The ACL users and the replication credentials come from the secret and are written to /run/lab, a tmpfs:
# the password never reaches the data volume.
set -eu
. /etc/lab/redis/lab-users.sh
read_password
name=$1
primary=${2:-}
umask 077
mkdir -p /run/lab
# lab-coordinator: what the coordinators connect as: data commands and the lab's Redis functions, no
#                  administration (CONFIG, DEBUG, FLUSHALL, SHUTDOWN, ...).
# lab-replication: what a replica authenticates to its primary with.
# lab-sentinel:    the commands Sentinel needs to watch the nodes and run a failover.
cat > /run/lab/users.acl <<ACL
user default off
user lab-coordinator on #$password_hash resetchannels ~* &* +@all -@admin -@dangerous +function|load +function|list +info
user lab-replication on #$password_hash +psync +replconf +ping
user lab-sentinel on #$password_hash resetchannels &__sentinel__:hello +multi +slaveof +ping +exec +subscribe +config|rewrite +role +publish +info +client|setname +client|kill +script|kill
ACL
# Either node may become a replica after a failover, so both know how to authenticate to a primary.
cat > /run/lab/replication.conf <<CONF
masteruser lab-replication
masterauth $password
replica-announce-ip $name
CONF
if [ -n "$primary" ]; then
  exec redis-server /etc/lab/redis/redis.conf --include /run/lab/replication.conf --replicaof "$primary" 6379
fi
exec redis-server /etc/lab/redis/redis.conf --include /run/lab/replication.conf
