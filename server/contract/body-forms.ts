/**
 * The two body forms of `POST /v1/images/edits` and the request schema of each in
 * openapi.yaml: what validation checks a body against, and what outcome coverage reads to
 * learn which answers each form can ask for.
 */
export const BODY_FORMS = ['multipart', 'json'] as const;

/**
 * Which of the endpoint's two body forms a request used: `multipart` (files uploaded; text
 * fields read as their types; url-encoded bodies too) or `json` (images by reference).
 */
export type BodyForm = (typeof BODY_FORMS)[number];

export const BODY_FORM_SCHEMAS: Readonly<Record<BodyForm, string>> = { multipart: 'CreateImageEditRequest', json: 'EditImageBodyJsonParam' };
