import type { SessionRecord, SessionStore } from './session-store.js';

/** Keeps sessions in this process's memory: the default, lost on restart. */
export class MemorySessionStore implements SessionStore {
  private readonly byId = new Map<string, SessionRecord>();
  private readonly byCandidate = new Map<string, string>();
  private readonly byExam = new Map<string, Set<string>>();

  async get(sessionId: string): Promise<SessionRecord | undefined> {
    return copy(this.byId.get(sessionId));
  }

  async findByCandidate(examId: string, candidateId: string): Promise<SessionRecord | undefined> {
    const id = this.byCandidate.get(candidateKey(examId, candidateId));
    return id === undefined ? undefined : copy(this.byId.get(id));
  }

  async listByExam(examId: string): Promise<SessionRecord[]> {
    const ids = this.byExam.get(examId) ?? new Set();
    return [...ids].map((id) => copy(this.byId.get(id))!);
  }

  async put(record: SessionRecord): Promise<void> {
    this.byId.set(record.sessionId, copy(record)!);
    this.byCandidate.set(candidateKey(record.examId, record.candidateId), record.sessionId);
    let exam = this.byExam.get(record.examId);
    if (!exam) this.byExam.set(record.examId, (exam = new Set()));
    exam.add(record.sessionId);
  }
}

function candidateKey(examId: string, candidateId: string): string {
  return `${examId}\u0000${candidateId}`;
}

function copy(record: SessionRecord | undefined): SessionRecord | undefined {
  return record && { ...record, feeds: { ...record.feeds }, clock: { ...record.clock } };
}
