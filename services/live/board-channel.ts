// What the monitor channels share: a socket watches a board (monitor-boards.ts). Its
// snapshot is sent and the socket subscribed to the board's topic in the turn the board's
// version is read, so no delta falls between them; a re-sync is a fresh snapshot.
import { sessionOfViewer, type Viewer } from "./access.ts";
import type { Channel, Peer, UpgradeRequest } from "./channel.ts";
import type { Credentials } from "./credentials.ts";
import type { Board, MonitorBoards } from "./monitor-boards.ts";
// A monitor, like a queue watcher, may ask for a fresh snapshot when it sees a gap.
import { QueueClientMessage, type ClientMessage } from "./schemas.ts";
import type { LiveSession } from "./session-sockets.ts";

export interface BoardWatcher {
  viewer: Viewer;
  board: Board;
}

export abstract class BoardChannel implements Channel<BoardWatcher, ClientMessage> {
  abstract readonly name: string;
  abstract readonly pattern: string;
  readonly messages = QueueClientMessage;

  constructor(
    protected readonly credentials: Credentials,
    protected readonly boards: MonitorBoards,
  ) {}

  abstract admit(request: UpgradeRequest): Promise<BoardWatcher>;

  /** The board as a client sees it first. */
  protected abstract snapshotOf(board: Board): object;

  sessionOf({ viewer }: BoardWatcher): LiveSession {
    return sessionOfViewer(viewer);
  }

  abandon({ board }: BoardWatcher): void {
    this.boards.leave(board);
  }

  open(peer: Peer, { board }: BoardWatcher): void {
    peer.batch(() => {
      peer.send(this.snapshotOf(board));
      peer.subscribe(board.scope.topic);
    });
  }

  /** The only message left once pings are answered is a request to re-sync. */
  receive(peer: Peer, { board }: BoardWatcher): void {
    peer.send(this.snapshotOf(board));
  }

  close({ board }: BoardWatcher): void {
    this.boards.leave(board);
  }
}
