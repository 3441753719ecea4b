{{/* Labels on every object. */}}
{{- define "meshlens.labels" -}}
app.kubernetes.io/name: meshlens
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{/* The Secret whose `keys` file seals session cookies: sessionKeys.existingSecret, or the chart's own. */}}
{{- define "meshlens.sessionKeysSecret" -}}
{{- if .Values.sessionKeys.existingSecret -}}
{{ .Values.sessionKeys.existingSecret }}
{{- else -}}
{{ .Release.Name }}-session-keys
{{- end -}}
{{- end -}}

{{/* The Deployment's selector: stable across upgrades, so no version. */}}
{{- define "meshlens.selectorLabels" -}}
app.kubernetes.io/name: meshlens
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
