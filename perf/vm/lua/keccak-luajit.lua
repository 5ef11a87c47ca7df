-- LuaJIT form of keccak.lua: Lua 5.1 numbers are doubles, so 64-bit lanes are FFI uint64_t values and the bit library's
-- operators (which take and return 64-bit cdata in LuaJIT 2.1).
package.path = arg[0]:match("(.*/)") .. "?.lua;" .. package.path
local ffi, bit = require("ffi"), require("bit")
local bxor, band, bnot, lshift, rshift = bit.bxor, bit.band, bit.bnot, bit.lshift, bit.rshift
local U = ffi.typeof("uint64_t")
local RC = {
  0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
  0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
  0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
  0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
  0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
  0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
}
local ROT = {0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14}
local function rotl(x, n) if n == 0 then return x end return bit.bor(lshift(x, n), rshift(x, 64 - n)) end

local function keccak_f(s)
  local c, b = {}, {}
  for round = 1, 24 do
    for x = 0, 4 do c[x] = bxor(s[x], s[x + 5], s[x + 10], s[x + 15], s[x + 20]) end
    for x = 0, 4 do
      local d = bxor(c[(x + 4) % 5], rotl(c[(x + 1) % 5], 1))
      for y = 0, 20, 5 do s[y + x] = bxor(s[y + x], d) end
    end
    for x = 0, 4 do
      for y = 0, 4 do b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(s[x + 5 * y], ROT[x + 5 * y + 1]) end
    end
    for y = 0, 20, 5 do
      for x = 0, 4 do s[y + x] = bxor(b[y + x], band(bnot(b[y + (x + 1) % 5]), b[y + (x + 2) % 5])) end
    end
    s[0] = bxor(s[0], RC[round])
  end
end

require("common").run(function(n)
  local s = {}
  for i = 0, 24 do s[i] = U(i) end
  for _ = 1, n do keccak_f(s) end
  return (tostring(bxor(s[0], s[24])):gsub("ULL$", ""))
end)
