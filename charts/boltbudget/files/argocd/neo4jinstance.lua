-- Argo CD health check for boltbudget.io/Neo4jInstance (Lua 5.1, as Argo CD's gopher-lua runs it).
-- The same text is in argocd-cm.yaml under resource.customizations.health.boltbudget.io_Neo4jInstance;
-- a test keeps the two identical.
local hs = {}

local function condition(status, conditionType)
  if status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

local function percent(view)
  if view == nil or view.percent == nil then
    return "?"
  end
  return string.format("%d %%", view.percent)
end

local status = obj.status
if status == nil or status.observedGeneration == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the BoltBudget operator to reconcile this instance"
  return hs
end
local generation = obj.metadata.generation
if generation ~= nil and status.observedGeneration < generation then
  hs.status = "Progressing"
  hs.message = string.format("Waiting for the operator: generation %d not observed yet (status is for generation %d)", generation, status.observedGeneration)
  return hs
end

local stalled = condition(status, "Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = "Stalled (" .. tostring(stalled.reason) .. "): " .. tostring(stalled.message)
  return hs
end

local level = status.level
local message = tostring(level) .. ": planned " .. percent(status.planned) .. ", current " .. percent(status.current) .. ", peak " .. percent(status.peak)
if status.observed ~= nil then
  message = message .. ", observed " .. percent(status.observed)
end
if obj.spec ~= nil and obj.spec.connectionLimit ~= nil then
  message = message .. string.format(" of %d connections", obj.spec.connectionLimit)
end
local reachable = condition(status, "Reachable")
if reachable ~= nil and reachable.status == "False" then
  message = message .. "; unreachable (" .. tostring(reachable.reason) .. ")"
end

if level == "Critical" or level == "Exceeded" then
  hs.status = "Degraded"
elseif level == "Healthy" or level == "Warning" then
  hs.status = "Healthy"
else
  hs.status = "Progressing"
  message = "No level yet; " .. message
end
hs.message = message
return hs
