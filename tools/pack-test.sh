#!/usr/bin/env bash
# The packages as a consumer gets them:
#   1. packs every project in src/ (Release, package validation on, warnings are errors) into artifacts/packages,
#   2. checks each package has its README, icon, licence and repository metadata,
#   3. creates a fresh console project outside the repository (none of this repository's Directory.*.props apply),
#      adds Messaging.Core and Messaging.Storage.EfCore at the packed version from that folder, and runs the root
#      README's "A taste" snippet on SQLite (tools/pack-test/Program.cs); it exits non-zero when anything fails.
#
#   bash tools/pack-test.sh              # builds src/ in Release first
#   bash tools/pack-test.sh --no-build   # right after `dotnet build Messaging.sln -c Release` (as tools/test.sh does)
#
# Restores into a throwaway NuGet cache (so a package packed earlier under the same version is never reused), with the
# machine's own cache as a read-only fallback for everything else, from the machine's usual sources plus the new packages.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
START=$SECONDS

NO_BUILD=()
[ "${1:-}" = "--no-build" ] && NO_BUILD=(--no-build)

FEED=$ROOT/artifacts/packages
rm -rf "$FEED"; mkdir -p "$FEED"
WORK=$(mktemp -d /tmp/messaging-pack-test.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

fail() { echo "pack test: FAILED - $*" >&2; exit 1; }

# --- 1. pack: one solution filter over every project in src/, so a new package is never left out ---
mapfile -t PROJECTS < <(cd "$ROOT" && ls src/*/*.csproj)
{
  echo '{ "solution": { "path": "../Messaging.sln", "projects": ['
  for i in "${!PROJECTS[@]}"; do
    sep=,; [ "$i" = $(( ${#PROJECTS[@]} - 1 )) ] && sep=
    echo "  \"${PROJECTS[$i]//\//\\\\}\"$sep"
  done
  echo '] } }'
} > "$ROOT/artifacts/Packages.slnf"
echo "== packing ${#PROJECTS[@]} packages" >&2
dotnet pack "$ROOT/artifacts/Packages.slnf" -c Release "${NO_BUILD[@]}" -o "$FEED" -warnaserror -nologo -v q \
  -p:EnablePackageValidation=true >&2 || fail "dotnet pack"

# --- 2. every package, with its symbols and its metadata ---
for project in "${PROJECTS[@]}"; do
  id=$(basename "$project" .csproj)
  nupkg=$(ls "$FEED/$id".[0-9]*.nupkg 2>/dev/null | head -1) || true
  [ -n "$nupkg" ] || fail "no package for $id"
  [ -e "${nupkg%.nupkg}.snupkg" ] || fail "no symbol package for $id"
  python3 - "$nupkg" "$id" <<'PY' || fail "metadata of $id"
import sys, zipfile, re
path, id = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(path)
names = set(z.namelist())
nuspec = z.read(f"{id}.nuspec").decode()
problems = [f"missing {f}" for f in ("README.md", "icon.png", "LICENSE", f"lib/net10.0/{id}.dll", f"lib/net10.0/{id}.xml") if f not in names]
for needle in ("<readme>README.md</readme>", "<icon>icon.png</icon>", '<license type="expression">MIT</license>',
               '<repository type="git" url="https://github.com/patient-messaging/patient-messaging-dotnet"',
               "<projectUrl>https://github.com/patient-messaging/patient-messaging-dotnet</projectUrl>"):
    if needle not in nuspec: problems.append(f"nuspec lacks {needle}")
readme = z.read("README.md").decode()
if f"dotnet add package {id}" not in readme: problems.append("README has no `dotnet add package` line")
# A package page has no repository around it: links must be absolute.
for link in re.findall(r"\]\(([^)]+)\)", readme):
    if not re.match(r"(https?:|#|mailto:)", link): problems.append(f"README links to a relative path: {link}")
if problems: sys.exit(f"{id}: " + "; ".join(problems))
PY
done
CORE=$(ls "$FEED"/Messaging.Core.[0-9]*.nupkg | head -1)
VERSION=$(basename "$CORE" .nupkg); VERSION=${VERSION#Messaging.Core.}
echo "== packed version $VERSION" >&2

# --- 3. a consumer outside the repository ---
# Empty Directory.* files stop MSBuild's upward search, wherever the temporary folder is.
for f in Directory.Build.props Directory.Build.targets Directory.Packages.props; do echo '<Project />' > "$WORK/$f"; done
GLOBAL_CACHE=${NUGET_PACKAGES:-$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')}
APP=$WORK/PackTest
mkdir -p "$APP"
# The machine's sources (user and machine NuGet.Config) still apply: this file only adds the new packages.
cat > "$APP/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="messaging-pack-test" value="$FEED" />
  </packageSources>
  <fallbackPackageFolders>
    <add key="machine-cache" value="$GLOBAL_CACHE" />
  </fallbackPackageFolders>
</configuration>
EOF
cat > "$APP/PackTest.csproj" <<'EOF'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
</Project>
EOF
cp "$ROOT/tools/pack-test/Program.cs" "$APP/"
export NUGET_PACKAGES=$WORK/packages
cd "$APP"
for id in Messaging.Core Messaging.Storage.EfCore; do
  dotnet add package "$id" --version "$VERSION" --no-restore >/dev/null || fail "dotnet add package $id"
done
echo "== building the consumer" >&2
dotnet build -c Release -nologo -v q > "$WORK/build.log" 2>&1 \
  || { cat "$WORK/build.log" >&2; fail "the consumer does not build against the packages"; }
# The SDK's assemblies must have come from the new packages, not from a cache.
[ -d "$NUGET_PACKAGES/messaging.core/$VERSION" ] || fail "Messaging.Core $VERSION was not restored from the packed feed"
dotnet bin/Release/net10.0/PackTest.dll "$WORK" "$VERSION" || fail "the consumer program (the README snippet on the packages) failed"
echo "pack test: passed, ${#PROJECTS[@]} packages at $VERSION, in $(( SECONDS - START )) s"
