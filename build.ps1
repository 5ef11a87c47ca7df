# NexusFast build entry point for Windows. Same verbs as build.sh (which is the one tested in CI).
#   ./build.ps1 setup | build | test | bench | publish | devnet | load | load-bft | sim (-seeds N | -first S | -seed S, as build.sh sim)
param([Parameter(Position = 0)][string]$Verb = "", [Parameter(ValueFromRemainingArguments = $true)][string[]]$Rest)
$ErrorActionPreference = "Stop"
Set-Location $PSScriptRoot
$Config = if ($env:CONFIG) { $env:CONFIG } else { "Release" }
$NpmFolders = @("tests/js", "tests/e2e")
$Binary = if ($IsWindows) { "artifacts/nexusfast.exe" } else { "artifacts/nexusfast" }

function Setup {
    # libsecp256k1 on Windows: put libsecp256k1.dll (built from bitcoin-core/secp256k1 with the recovery,
    # ecdh, extrakeys and schnorrsig modules) next to the binaries or on PATH.
    # Node.js (install it from nodejs.org) and the npm packages of tests/js (ethers, differential tests) and tests/e2e
    # (ethers and viem against the binary); npm ci runs only when node_modules does not match package-lock.json, as in
    # build.sh.
    if (Get-Command npm -ErrorAction SilentlyContinue) {
        foreach ($folder in $NpmFolders) {
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
function Build-Contracts {
    # contracts/*.c as eBPF objects (what contracts/build-contracts.sh does on Linux); needs clang (clang-14 on Debian).
    $clang = if (Get-Command clang-14 -ErrorAction SilentlyContinue) { "clang-14" } else { "clang" }
    New-Item -ItemType Directory -Force artifacts/contracts | Out-Null
    foreach ($source in Get-ChildItem contracts/*.c) {
        & $clang -target bpf -O2 -Wall -Wextra -Werror -I contracts -c $source.FullName -o "artifacts/contracts/$($source.BaseName).o"
        if ($LASTEXITCODE -ne 0) { throw "compiling $($source.Name) failed" }
    }
}
function Build { Setup; dotnet build NexusFast.sln -c $Config --no-restore -nologo -v:q; if ($LASTEXITCODE -ne 0) { throw "build failed" }; Build-Contracts }
function Test {
    Build
    $out = dotnet test NexusFast.sln -c $Config --no-build -nologo @Rest 2>&1 | Tee-Object -Variable lines
    $code = $LASTEXITCODE
    $p = 0; $f = 0; $s = 0
    foreach ($l in $lines) {
        if ("$l" -match 'Failed: +(\d+), Passed: +(\d+), Skipped: +(\d+)') { $f += [int]$Matches[1]; $p += [int]$Matches[2]; $s += [int]$Matches[3] }
    }
    if ($code -ne 0 -and $f -eq 0) { $f = 1 }
    # tests/e2e against the published binary, as in build.sh: the console gets node's spec report, the totals come from
    # a TAP copy's summary lines.
    Ensure-Binary
    $tap = New-TemporaryFile
    $env:NEXUSFAST_BIN = (Resolve-Path $Binary).Path
    Push-Location tests/e2e
    node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=tap "--test-reporter-destination=$tap"
    $e2eCode = $LASTEXITCODE
    Pop-Location
    $summary = @{}
    foreach ($l in Get-Content $tap) { if ("$l" -match '^# (pass|fail|cancelled|skipped|todo) (\d+)$') { $summary[$Matches[1]] = [int]$Matches[2] } }
    Remove-Item $tap
    $e2eFailed = [int]$summary["fail"] + [int]$summary["cancelled"]
    if ($e2eCode -ne 0 -and $e2eFailed -eq 0) { $e2eFailed = 1 }
    $p += [int]$summary["pass"]; $f += $e2eFailed; $s += [int]$summary["skipped"] + [int]$summary["todo"]
    Write-Output "$p passed, $f failed, $s skipped"
    if ($code -ne 0) { exit $code }
    exit $e2eCode
}
function Bench { Setup; dotnet run --project perf/Benchmarks -c Release -- @Rest }
function Publish {
    # Native AOT for the machine's runtime identifier; falls back to the .NET 9 ILCompiler (net9.0) when the package
    # source lacks .NET 10's NativeAOT runtime pack, exactly as build.sh does.
    Setup
    $rid = [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
    $common = @("-c", "Release", "-r", $rid, "-p:PublishAot=true", "-p:DebugType=None", "-o", "artifacts", "-nologo", "-v:q")
    $restore = dotnet restore src/Engine.Native -r $rid -p:PublishAot=true 2>&1
    if ($LASTEXITCODE -eq 0) {
        dotnet publish src/Engine.Native @common
        Write-Output "published artifacts/nexusfast (Native AOT, net10.0)"
    } elseif ("$restore" -match "Microsoft.NETCore.App.Runtime.NativeAOT") {
        Write-Output "net10.0 NativeAOT runtime pack unavailable from the package source; publishing with the .NET 9 ILCompiler (net9.0)"
        dotnet publish src/Engine.Native @common -p:NexusAotFramework=net9.0
        Write-Output "published artifacts/nexusfast (Native AOT, net9.0 fallback)"
    } else { Write-Error "$restore"; exit 1 }
    if ($LASTEXITCODE -ne 0) { throw "publish failed" }
    dotnet restore NexusFast.sln --verbosity quiet | Out-Null
}
# Publishes when the binary is missing or older than a source file (bin/ and obj/ are build outputs, not sources).
function Ensure-Binary {
    $newest = Get-ChildItem -Recurse -File src, Directory.Build.props, Directory.Packages.props |
        Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' } | Sort-Object LastWriteTime -Descending | Select-Object -First 1
    if (-not (Test-Path $Binary) -or $newest.LastWriteTime -gt (Get-Item $Binary).LastWriteTime) {
        Publish
        (Get-Item $Binary).LastWriteTime = Get-Date
    }
}
function Devnet {
    Ensure-Binary
    & $Binary devnet @Rest
    exit $LASTEXITCODE
}

function Load {
    Setup
    Ensure-Binary
    dotnet run --project perf/Load -c Release -- --binary $Binary @Rest
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    dotnet run --project perf/Benchmarks -c Release -- --write-section LoadTest
}

function LoadBft {
    # perf/consensus/run.sh needs bash (Linux or WSL); it runs the TPS driver six times, then the summary.
    Setup
    Ensure-Binary
    dotnet build perf/Load -c Release -nologo -v:q
    bash perf/consensus/run.sh @Rest
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    dotnet run --project perf/Benchmarks -c Release -- --write-section ConsensusLoad
}

function VmBench {
    # perf/vm/run.sh needs bash, clang-14, gcc, lua5.4 and luajit (Linux or WSL).
    Setup
    bash perf/vm/run.sh @Rest
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    dotnet run --project perf/Benchmarks -c Release -- --write-section VmComparison
}

function Sim {
    $env:NEXUSFAST_SIM_SEEDS = ""; $env:NEXUSFAST_SIM_SEED = ""; $env:NEXUSFAST_SIM_FIRST_SEED = ""
    for ($i = 0; $i -lt $Rest.Count; $i += 2) {
        switch ($Rest[$i]) {
            { $_ -in "--seeds", "-seeds" } { $env:NEXUSFAST_SIM_SEEDS = $Rest[$i + 1] }
            { $_ -in "--seed", "-seed" } { $env:NEXUSFAST_SIM_SEED = $Rest[$i + 1] }
            { $_ -in "--first", "-first" } { $env:NEXUSFAST_SIM_FIRST_SEED = $Rest[$i + 1] }
            default { Write-Error "sim: unknown argument $($Rest[$i])"; exit 2 }
        }
    }
    dotnet test tests/Engine.Simulation -c $Config -nologo --filter "FullyQualifiedName~SimulationTests.Every_seed" --logger "console;verbosity=detailed"
    exit $LASTEXITCODE
}

switch ($Verb) {
    "setup" { Setup }
    "build" { Build }
    "test" { Test }
    "bench" { Bench }
    "publish" { Publish }
    "devnet" { Devnet }
    "load" { Load }
    "load-bft" { LoadBft }
    "sim" { Sim }
    "vm-bench" { VmBench }
    default { Write-Error "usage: ./build.ps1 setup|build|test|bench|publish|devnet|load|load-bft|sim|vm-bench"; exit 2 }
}
