package.path = arg[0]:match("(.*/)") .. "?.lua;" .. package.path
require("common").run(function(n)
  local composite, count = {}, 0
  for i = 2, n do
    if not composite[i] then
      count = count + 1
      for j = i * i, n, i do composite[j] = true end
    end
  end
  return string.format("%d", count)
end)
