/** Response shapes the commands work with, generated from the server's OpenAPI document. */
export type { AuditEntry, Environment, EnvironmentTypeId, InvitationRequest, Project, ProjectUserAccess } from '@pier/api';
