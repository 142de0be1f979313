/**
 * Who acted, from any interaction payload (a button, a form submitted): the workspace and the person. One reading for
 * every listener, so an action and the form it opens always agree on who the caller is.
 */
export function callerOf(body: { team?: { id: string } | null; user: { id: string; team_id?: string } }) {
  return { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
}
