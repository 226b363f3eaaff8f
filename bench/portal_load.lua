-- wrk script for bench/portal_load.py: every request is a random line of a list file,
--   <path>            or   <path><TAB><Cookie header value>
-- sent with the header X-Bench-Page: <label> (the server-timing middleware files the server's
-- time under that label).  Usage: wrk ... -s bench/portal_load.lua <url> -- <list file> <label>
local lines = {}
local label = "unlabelled"
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end

function init(args)
  math.randomseed(seed or 1)
  for line in io.lines(args[1]) do
    local path, cookie = line:match("^([^\t]+)\t?(.*)$")
    if path then
      lines[#lines + 1] = { path, cookie }
    end
  end
  label = args[2] or label
end

function request()
  local pick = lines[math.random(#lines)]
  local headers = { ["X-Bench-Page"] = label }
  if pick[2] ~= "" then
    headers["Cookie"] = pick[2]
  end
  return wrk.format("GET", pick[1], headers)
end
