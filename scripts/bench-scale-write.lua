-- wrk script of scripts/bench-scale.sh: POSTs one manager rating of one skill for a random
-- generated person (org-000001 .. org-PEOPLE-1) and counts the writes acknowledged (201) and
-- refused, over all threads, for counting back against the database afterwards.
local threads = {}
local skills = { "odp:data-and-insight", "odp:adaptability-to-change",
  "odp:connections-and-communication", "odp:delivery-and-decision-making-at-pace" }
local levels = { "A", "W", "P", "E" }

wrk.headers["Content-Type"] = "application/json"

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  created = 0
  refused = 0
  math.randomseed(os.time() + #threads)
  people = tonumber(os.getenv("PEOPLE") or "1000")
end

request = function()
  local path = string.format("/api/v1/people/org-%06d/assessments", math.random(1, people - 1))
  local body = string.format('{"assessments":[{"skill":"%s","level":"%s"}]}',
    skills[math.random(#skills)], levels[math.random(#levels)])
  -- nil headers: wrk's own, with the token given by -H and the content type set below.
  return wrk.format("POST", path, nil, body)
end

response = function(status, headers, body)
  if status == 201 then
    created = created + 1
  else
    refused = refused + 1
  end
end

done = function(summary, latency, requests)
  local c, r = 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    r = r + t:get("refused")
  end
  io.write(string.format("acknowledged %d refused %d errors %d p99_ms %.1f writes_per_s %.0f\n",
    c, r, summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout, latency:percentile(99) / 1000, c / (summary.duration / 1e6)))
end
