{{/* Names and labels. */}}
{{- define "image-edits-sandbox.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "image-edits-sandbox.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The Redis the replicas share: state.redisUrl, else the one in this release, else none (memory). */}}
{{- define "image-edits-sandbox.stateUrl" -}}
{{- if .Values.state.redisUrl -}}
{{- .Values.state.redisUrl -}}
{{- else if .Values.redis.enabled -}}
{{- printf "redis://%s-redis:6379" (include "image-edits-sandbox.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/*
The replica guard: the memory backend is per process, so a second replica would have its own
journal, armed scenarios and url files (a url from one is a 404 on the other). Refuse to render.
*/}}
{{- define "image-edits-sandbox.guardReplicas" -}}
{{- if and (gt (int .Values.replicaCount) 1) (not (include "image-edits-sandbox.stateUrl" .)) -}}
{{- fail "replicaCount > 1 needs shared state: set redis.enabled=true or state.redisUrl (with the memory backend every replica would keep its own journal, scenarios and urls)" -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding SANDBOX_URL_SECRET. */}}
{{- define "image-edits-sandbox.urlSecretName" -}}
{{- .Values.urlSecret.existingSecret | default (printf "%s-url-secret" (include "image-edits-sandbox.fullname" .)) -}}
{{- end -}}
