{{/*
The server's environment (src/config/env.ts). Secrets come by reference (secretKeyRef) only;
NODE_ENV=production makes Gatehouse refuse to start without each of them (production-rules.ts).
*/}}
{{- define "gatehouse.serverEnv" -}}
{{- $c := .Values.config -}}
- name: NODE_ENV
  value: production
- name: HOST
  value: "0.0.0.0"
- name: PORT
  value: "3000"
- name: ISSUER
  value: {{ .Values.issuer | quote }}
- name: TRUST_PROXY
  value: {{ $c.trustProxy | quote }}
- name: CONFIGURATION_CACHE
  value: {{ $c.configurationCache | quote }}
- name: LOG_LEVEL
  value: {{ $c.logLevel | quote }}
- name: REDIS_KEY_PREFIX
  value: {{ $c.redisKeyPrefix | quote }}
- name: ACCESS_TOKEN_TTL_SECONDS
  value: {{ $c.accessTokenTtlSeconds | quote }}
- name: SAML_METADATA_REFRESH_HOURS
  value: {{ $c.samlMetadataRefreshHours | quote }}
- name: WEBHOOK_ALLOW_INTERNAL
  value: {{ $c.webhookAllowInternal | quote }}
- name: SHUTDOWN_GRACE_MS
  value: {{ mul (int64 $c.shutdownGraceSeconds) 1000 | quote }}
{{- with $c.mailFrom }}
- name: MAIL_FROM
  value: {{ . | quote }}
{{- end }}
{{- if .Values.declarativeConfig }}
- name: GATEHOUSE_CONFIG
  value: {{ include "gatehouse.configDir" . }}/gatehouse.yaml
{{- end }}
{{ include "gatehouse.secretEnv" (list "DATABASE_URL" .Values.secrets.databaseUrl .Values.secrets) }}
{{ include "gatehouse.secretEnv" (list "REDIS_URL" .Values.secrets.redisUrl .Values.secrets) }}
{{ include "gatehouse.secretEnv" (list "GATEHOUSE_KEK" .Values.secrets.keyEncryptionKey .Values.secrets) }}
{{ include "gatehouse.secretEnv" (list "COOKIE_KEYS" .Values.secrets.cookieKeys .Values.secrets) }}
{{- if .Values.secrets.smtpUrl.key }}
{{ include "gatehouse.secretEnv" (list "SMTP_URL" .Values.secrets.smtpUrl .Values.secrets) }}
{{- end }}
{{- if .Values.metrics.enabled }}
{{ include "gatehouse.secretEnv" (list "METRICS_TOKEN" .Values.metrics.token .Values.secrets) }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* The migration Job needs the database only. */}}
{{- define "gatehouse.migrateEnv" -}}
- name: NODE_ENV
  value: production
- name: LOG_LEVEL
  value: {{ .Values.config.logLevel | quote }}
{{ include "gatehouse.secretEnv" (list "DATABASE_URL" .Values.secrets.databaseUrl .Values.secrets) }}
{{- end }}
