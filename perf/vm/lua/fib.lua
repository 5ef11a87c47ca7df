package.path = arg[0]:match("(.*/)") .. "?.lua;" .. package.path
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
require("common").run(function(n) return string.format("%d", fib(n)) end)
