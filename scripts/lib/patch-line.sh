# Sourced by the install-time patches of dependencies (scripts/patch-*.sh): replaces the
# line of `file` matching the sed pattern with `patched`. A second run finds the patched
# line and changes nothing; a file with neither (an upgrade moved the line) fails the
# install, naming the patch.
patch_line() {
  local file="$1" pattern="$2" patched="$3" name="$4"
  grep -qF "$patched" "$file" && return 0
  sed -i "s|$pattern|$patched|" "$file"
  grep -qF "$patched" "$file" || { echo "the $name patch no longer applies to $file" >&2; return 1; }
}
