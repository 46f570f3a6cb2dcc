{{/* The chart name, or nameOverride. */}}
{{- define "gatehouse.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
"<release>-<chart>" unless the release name already contains the chart name. 63 characters at
most: names end up in DNS labels (RFC 1123).
*/}}
{{- define "gatehouse.fullname" -}}
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

{{- define "gatehouse.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels every resource carries (Kubernetes recommended labels). */}}
{{- define "gatehouse.labels" -}}
helm.sh/chart: {{ include "gatehouse.chart" . }}
{{ include "gatehouse.selectorLabels" . }}
app.kubernetes.io/version: {{ include "gatehouse.imageTag" . | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: gatehouse
{{- end }}

{{/* Labels that pick the release's pods; immutable in a Deployment's selector, so never versioned. */}}
{{- define "gatehouse.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gatehouse.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The serving pods only (the migration Job's pods carry component: migrate). */}}
{{- define "gatehouse.serverSelectorLabels" -}}
{{ include "gatehouse.selectorLabels" . }}
app.kubernetes.io/component: server
{{- end }}

{{- define "gatehouse.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "gatehouse.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "gatehouse.imageTag" -}}
{{- default .Chart.AppVersion .Values.image.tag }}
{{- end }}

{{/* repository@digest when a digest is given (immutable), else repository:tag. */}}
{{- define "gatehouse.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (include "gatehouse.imageTag" .) }}
{{- end }}
{{- end }}

{{- define "gatehouse.configMapName" -}}
{{- printf "%s-config" (include "gatehouse.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Where the declarative file is mounted; GATEHOUSE_CONFIG points at it. */}}
{{- define "gatehouse.configDir" -}}/etc/gatehouse{{- end }}

{{/*
An EnvVar read from a Secret: (list "DATABASE_URL" .Values.secrets.databaseUrl .Values.secrets).
The value never appears in a manifest, only the Secret's name and key.
*/}}
{{- define "gatehouse.secretEnv" -}}
{{- $env := index . 0 }}
{{- $ref := index . 1 }}
{{- $secrets := index . 2 -}}
- name: {{ $env }}
  valueFrom:
    secretKeyRef:
      name: {{ default $secrets.existingSecret $ref.name | quote }}
      key: {{ $ref.key | quote }}
{{- end }}

{{/*
Rules values.schema.json cannot express (they compare values). Included by the Deployment, which
every release renders, so `helm template`, `lint` and `install` all refuse such values.
*/}}
{{- define "gatehouse.validate" -}}
{{- $v := .Values }}
{{- if and $v.autoscaling.enabled (lt (int64 $v.autoscaling.maxReplicas) (int64 $v.autoscaling.minReplicas)) }}
{{- fail "autoscaling.maxReplicas must be at least autoscaling.minReplicas" }}
{{- end }}
{{- if ge (add (int64 $v.preStopSleepSeconds) (int64 $v.config.shutdownGraceSeconds)) (int64 $v.terminationGracePeriodSeconds) }}
{{- fail "preStopSleepSeconds + config.shutdownGraceSeconds must stay below terminationGracePeriodSeconds, or requests are killed mid-flight" }}
{{- end }}
{{- if $v.podDisruptionBudget.enabled }}
{{- $pdb := $v.podDisruptionBudget }}
{{- if and (kindIs "invalid" $pdb.maxUnavailable) (kindIs "invalid" $pdb.minAvailable) }}
{{- fail "podDisruptionBudget: give maxUnavailable or minAvailable" }}
{{- end }}
{{- $floor := ternary $v.autoscaling.minReplicas $v.replicaCount $v.autoscaling.enabled }}
{{- if and (not (kindIs "invalid" $pdb.minAvailable)) (not (kindIs "string" $pdb.minAvailable)) }}
{{- if ge (int64 $pdb.minAvailable) (int64 $floor) }}
{{- fail "podDisruptionBudget.minAvailable must be below the replica count, or no node can ever be drained" }}
{{- end }}
{{- end }}
{{- end }}
{{- range $v.extraEnv }}
{{- if has .name (list "DATABASE_URL" "REDIS_URL" "GATEHOUSE_KEK" "COOKIE_KEYS" "SMTP_URL" "METRICS_TOKEN") }}
{{- fail (printf "extraEnv: %s is a secret; reference its Secret through secrets.* instead" .name) }}
{{- end }}
{{- end }}
{{- if and (not $v.metrics.enabled) (or $v.metrics.serviceMonitor.enabled $v.metrics.serviceAnnotations) }}
{{- fail "metrics.serviceMonitor and metrics.serviceAnnotations scrape /metrics: set metrics.enabled too" }}
{{- end }}
{{- if and $v.ingress.enabled (not $v.ingress.hosts) }}
{{- fail "ingress.hosts: name at least one host when ingress.enabled is true" }}
{{- end }}
{{- if $v.ingress.enabled }}
{{- $issuerHost := (urlParse $v.issuer).host }}
{{- $served := list }}
{{- range $v.ingress.hosts }}{{ $served = append $served .host }}{{ end }}
{{- if not (has $issuerHost $served) }}
{{- fail (printf "ingress.hosts: none is the issuer's host %s; clients would reach Gatehouse under another name than its tokens carry" $issuerHost) }}
{{- end }}
{{- end }}
{{- end }}
