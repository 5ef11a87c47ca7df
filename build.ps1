# NexusFast build entry point for Windows. Same verbs as build.sh (which is the one tested in CI).
#   ./build.ps1 setup | build | test | bench
param([Parameter(Position = 0)][string]$Verb = "", [Parameter(ValueFromRemainingArguments = $true)][string[]]$Rest)
$ErrorActionPreference = "Stop"
Set-Location $PSScriptRoot
$Config = if ($env:CONFIG) { $env:CONFIG } else { "Release" }

function Setup {
    # libsecp256k1 on Windows: put libsecp256k1.dll (built from bitcoin-core/secp256k1 with the recovery,
    # ecdh, extrakeys and schnorrsig modules) next to the binaries or on PATH.
    # Node.js (install it from nodejs.org) and tests/js's npm packages for the differential tests against ethers;
    # npm ci runs only when node_modules does not match package-lock.json, as in build.sh.
    if (Get-Command npm -ErrorAction SilentlyContinue) {
        foreach ($folder in @("tests/js")) {
            $stamp = Join-Path $folder "node_modules/.nexusfast-lock-sha256"
            $want = (Get-FileHash (Join-Path $folder "package-lock.json") -Algorithm SHA256).Hash.ToLowerInvariant()
            if ((Test-Path $stamp) -and ((Get-Content $stamp -Raw).Trim() -eq $want)) { continue }
            Push-Location $folder
            npm ci --no-audit --no-fund --loglevel=error | Out-Null
            $npmCode = $LASTEXITCODE
            Pop-Location
            if ($npmCode -ne 0) { throw "npm ci in $folder failed" }
            Set-Content -Path $stamp -Value $want -NoNewline
            Write-Output "installed npm packages in $folder"
        }
    }
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
