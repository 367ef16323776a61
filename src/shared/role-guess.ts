// Guesses each user's role in a class from what the API tells (it names no roles): a Linux
// user who sends nothing is a server (recorder); the sender who joined first, and among those the
// one who stayed longest, is the teacher; everyone else is a student. Shown as a guess.
// Shared so the CSV report (main) and the call view (renderer) guess alike.

export type RoleGuess = 'teacher' | 'student' | 'server';

export interface RoleEvidence {
  uid: number;
  platform: string;
  speaker: boolean;
  /** First join, Unix seconds. */
  joinTs: number;
  /** Seconds present over all sessions. */
  presenceSec: number;
}

export function guessRoles(users: readonly RoleEvidence[]): Map<number, RoleGuess> {
  const roles = new Map<number, RoleGuess>();
  const people: RoleEvidence[] = [];
  for (const user of users) {
    if (!user.speaker && /linux/i.test(user.platform)) roles.set(user.uid, 'server');
    else people.push(user);
  }
  const teacher = people
    .filter((u) => u.speaker)
    .sort((a, b) => a.joinTs - b.joinTs || b.presenceSec - a.presenceSec || a.uid - b.uid)[0];
  for (const user of people) roles.set(user.uid, user === teacher ? 'teacher' : 'student');
  return roles;
}
