-- Lua 5.4 (64-bit integers and native bitwise operators); keccak-luajit.lua is the LuaJIT form.
package.path = arg[0]:match("(.*/)") .. "?.lua;" .. package.path
local RC = {
  0x0000000000000001, 0x0000000000008082, 0x800000000000808a, 0x8000000080008000,
  0x000000000000808b, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
  0x000000000000008a, 0x0000000000000088, 0x0000000080008009, 0x000000008000000a,
  0x000000008000808b, 0x800000000000008b, 0x8000000000008089, 0x8000000000008003,
  0x8000000000008002, 0x8000000000000080, 0x000000000000800a, 0x800000008000000a,
  0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
}
local ROT = {0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14}
local function rotl(x, n) if n == 0 then return x end return (x << n) | (x >> (64 - n)) end

local function keccak_f(s)
  local c, b = {}, {}
  for round = 1, 24 do
    for x = 0, 4 do c[x] = s[x] ~ s[x + 5] ~ s[x + 10] ~ s[x + 15] ~ s[x + 20] end
    for x = 0, 4 do
      local d = c[(x + 4) % 5] ~ rotl(c[(x + 1) % 5], 1)
      for y = 0, 20, 5 do s[y + x] = s[y + x] ~ d end
    end
    for x = 0, 4 do
      for y = 0, 4 do b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(s[x + 5 * y], ROT[x + 5 * y + 1]) end
    end
    for y = 0, 20, 5 do
      for x = 0, 4 do s[y + x] = b[y + x] ~ (~b[y + (x + 1) % 5] & b[y + (x + 2) % 5]) end
    end
    s[0] = s[0] ~ RC[round]
  end
end

require("common").run(function(n)
  local s = {}
  for i = 0, 24 do s[i] = i end
  for _ = 1, n do keccak_f(s) end
  return string.format("%u", s[0] ~ s[24]):gsub("^%-", "")
end)
