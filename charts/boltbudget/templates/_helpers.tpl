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

{{/* The operator's ServiceAccount: serviceAccount.name, else "<fullname>-operator" when created, else "default". */}}
{{- define "boltbudget.serviceAccountName" -}}
{{- if .Values.serviceAccount.name }}
{{- .Values.serviceAccount.name }}
{{- else if .Values.serviceAccount.create }}
{{- printf "%s-operator" (include "boltbudget.fullname" .) }}
{{- else }}
{{- "default" }}
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
