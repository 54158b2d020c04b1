#!/usr/bin/env bash
# Points the vcpkg port at a published commit or tag: fills in its REPO, REF and SHA512 (the
# portfile refuses to download until this has been done, rather than fetch a tag that does not
# exist with a hash of 0).
#
#   packaging/release.sh OWNER/REPO REF TARBALL
#
# TARBALL is the archive GitHub serves for REF (its hash is what vcpkg checks), for example:
#   curl -L -o src.tar.gz https://github.com/OWNER/REPO/archive/REF.tar.gz
# Then commit the port (and tag the release). The conan recipe needs nothing: it exports the
# sources of the checkout it is created from.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: packaging/release.sh OWNER/REPO REF TARBALL" >&2; exit 1; }
repo="$1" ref="$2" tarball="$3"
[[ "$repo" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] || { echo "release.sh: OWNER/REPO expected, got '$repo'" >&2; exit 1; }
[[ "$ref" =~ ^[A-Za-z0-9_./-]+$ ]] || { echo "release.sh: bad REF '$ref'" >&2; exit 1; }
gzip -t "$tarball" 2>/dev/null || { echo "release.sh: $tarball is not a .tar.gz" >&2; exit 1; }
portfile="${PORTFILE:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/vcpkg/ports/langgraph-webhooks/portfile.cmake}"
sha="$(sha512sum "$tarball" | cut -d' ' -f1)"
sed -i -E \
  -e "s|^( *REPO ).*|\1$repo|" \
  -e "s|^( *REF ).*|\1\"$ref\"|" \
  -e "s|^( *set\(release_sha512 )[0-9a-f]+\)|\1$sha)|" "$portfile"
grep -q "set(release_sha512 $sha)" "$portfile" || { echo "release.sh: could not update $portfile" >&2; exit 1; }
echo "release.sh: $portfile now takes $repo at $ref (SHA512 ${sha:0:16}…)"
