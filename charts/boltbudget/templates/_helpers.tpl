{{/*
Helpers shared by every template of the chart. Other templates rely on these names:
boltbudget.name, boltbudget.fullname, boltbudget.labels, boltbudget.selectorLabels,
boltbudget.serviceAccountName, boltbudget.secretNamespaces, boltbudget.eventNamespace, boltbudget.image.
*/}}

{{/* The chart name, or nameOverride. */}}
{{- define "boltbudget.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The prefix of every object name: fullnameOverride, else the release name when it already contains
the chart name ("boltbudget" -> "boltbudget"), else "<release>-<chart>". 63 characters at most (a label).
*/}}
{{- define "boltbudget.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* "boltbudget-0.1.0", for the helm.sh/chart label. */}}
{{- define "boltbudget.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object the chart creates. */}}
{{- define "boltbudget.labels" -}}
helm.sh/chart: {{ include "boltbudget.chart" . }}
{{ include "boltbudget.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: boltbudget
{{- end }}

{{/* The labels that select the operator pods (immutable in a Deployment's selector: never change them). */}}
{{- define "boltbudget.selectorLabels" -}}
app.kubernetes.io/name: {{ include "boltbudget.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The operator's ServiceAccount: serviceAccount.name, else "<fullname>-operator" when created. With
create=false a name is required: falling back to the namespace's "default" account would hand the
operator's rights (and the admission guard's exemption) to every pod in the namespace.
*/}}
{{- define "boltbudget.serviceAccountName" -}}
{{- if .Values.serviceAccount.name }}
{{- .Values.serviceAccount.name }}
{{- else if .Values.serviceAccount.create }}
{{- printf "%s-operator" (include "boltbudget.fullname" .) }}
{{- else }}
{{- fail "serviceAccount.create=false needs serviceAccount.name: the name of an existing ServiceAccount for the operator alone (the namespace's \"default\" account would give every pod there the operator's rights and its exemption from the admission guard)" }}
{{- end }}
{{- end }}

{{/*
The name of a cluster-scoped object: "<fullname>[-suffix].<release namespace>". Releases with the same
name in different namespaces must not share (and overwrite) ClusterRoles, bindings or admission policies.
A namespace has no ".", so the name after the last "." is always the release namespace: no two releases
get the same name. Call with (list $ "suffix") or (list $ "").
*/}}
{{- define "boltbudget.clusterName" -}}
{{- $ctx := index . 0 }}
{{- $suffix := index . 1 }}
{{- $base := include "boltbudget.fullname" $ctx }}
{{- if $suffix }}{{ $base = printf "%s-%s" $base $suffix }}{{ end }}
{{- printf "%s.%s" $base $ctx.Release.Namespace }}
{{- end }}

{{/*
The name of a namespaced object the chart puts into another namespace than its own (watched and Secret
namespaces, the dashboard's): in the release namespace "<fullname>[-suffix]", elsewhere the cluster-scoped
form, so that two releases reaching into the same namespace do not collide. Call with
(list $ "suffix" "target-namespace").
*/}}
{{- define "boltbudget.nameIn" -}}
{{- $ctx := index . 0 }}
{{- $suffix := index . 1 }}
{{- if eq (index . 2) $ctx.Release.Namespace }}
{{- $base := include "boltbudget.fullname" $ctx }}
{{- if $suffix }}{{ printf "%s-%s" $base $suffix }}{{ else }}{{ $base }}{{ end }}
{{- else }}
{{- include "boltbudget.clusterName" (list $ctx $suffix) }}
{{- end }}
{{- end }}

{{/*
The namespaces whose Secrets the operator may get, as a JSON array (a named template returns text):
secretNamespaces, else the release namespace. Use it as a list with
  {{- range include "boltbudget.secretNamespaces" . | fromJsonArray }}
*/}}
{{- define "boltbudget.secretNamespaces" -}}
{{- $namespaces := .Values.secretNamespaces | default (list .Release.Namespace) }}
{{- $namespaces | uniq | toJson }}
{{- end }}

{{/* The namespace of events about cluster-scoped Neo4jInstances: eventNamespace, else the release namespace. */}}
{{- define "boltbudget.eventNamespace" -}}
{{- .Values.eventNamespace | default .Release.Namespace }}
{{- end }}

{{/* repository:tag of the operator image; the tag defaults to the chart's appVersion. */}}
{{- define "boltbudget.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
