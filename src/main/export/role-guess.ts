// The role guess lives in src/shared (the call view shows the same guess as the CSV report).

export { guessRoles, type RoleEvidence, type RoleGuess } from '../../shared/role-guess.ts';
