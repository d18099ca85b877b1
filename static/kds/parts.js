// A board too big for one WebSocket message arrives in parts: a "board" message with
// the first tickets and `parts`, then `board_part` messages with the rest. This puts
// them together and hands the whole board on; a board in one message passes through.
export function boardAssembler(apply) {
  let pending = null;
  return {
    board(msg) {
      if (!msg.parts || msg.parts <= 1) {
        pending = null;
        apply(msg);
        return;
      }
      pending = { msg: { ...msg, tickets: [...msg.tickets] }, next: 1 };
    },
    part(msg) {
      // A part of any other board (or out of order) is dropped; the screen resyncs by seq.
      if (!pending || msg.seq !== pending.msg.seq || msg.part !== pending.next) return;
      pending.msg.tickets.push(...msg.tickets);
      pending.next += 1;
      if (pending.next === msg.parts) {
        const whole = pending.msg;
        pending = null;
        apply(whole);
      }
    },
  };
}
