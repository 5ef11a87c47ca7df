# NexusFast build entry point for Windows. Same verbs as build.sh (which is the one tested in CI).
#   ./build.ps1 setup | build | test | bench
param([Parameter(Position = 0)][string]$Verb = "", [Parameter(ValueFromRemainingArguments = $true)][string[]]$Rest)
$ErrorActionPreference = "Stop"
Set-Location $PSScriptRoot
$Config = if ($env:CONFIG) { $env:CONFIG } else { "Release" }

function Setup {
    # libsecp256k1 on Windows: put libsecp256k1.dll (built from bitcoin-core/secp256k1 with the recovery,
    # ecdh, extrakeys and schnorrsig modules) next to the binaries or on PATH.
    dotnet restore NexusFast.sln --verbosity quiet
    if ($LASTEXITCODE -ne 0) { throw "dotnet restore failed" }
}
function Build { Setup; dotnet build NexusFast.sln -c $Config --no-restore -nologo -v:q; if ($LASTEXITCODE -ne 0) { throw "build failed" } }
function Test {
    Build
    $out = dotnet test NexusFast.sln -c $Config --no-build -nologo @Rest 2>&1 | Tee-Object -Variable lines
    $code = $LASTEXITCODE
    $p = 0; $f = 0; $s = 0
    foreach ($l in $lines) {
        if ("$l" -match 'Failed: +(\d+), Passed: +(\d+), Skipped: +(\d+)') { $f += [int]$Matches[1]; $p += [int]$Matches[2]; $s += [int]$Matches[3] }
    }
    if ($code -ne 0 -and $f -eq 0) { $f = 1 }
    Write-Output "$p passed, $f failed, $s skipped"
    exit $code
}
function Bench { Setup; dotnet run --project perf/Benchmarks -c Release -- @Rest }

switch ($Verb) {
    "setup" { Setup }
    "build" { Build }
    "test" { Test }
    "bench" { Bench }
    default { Write-Error "usage: ./build.ps1 setup|build|test|bench"; exit 2 }
}
