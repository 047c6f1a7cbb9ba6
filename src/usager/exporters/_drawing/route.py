"""Lines that can be traced: each link routed around the boxes it does not join.

Every box is placed before any line is drawn; :func:`route` then draws each link that joins
two elements (a brake to its transition, a facilitator to what it answers, the backstage's
links) as a line of horizontal and vertical runs on a grid of :data:`PITCH` points, through
invisible bends (``waypoint`` boxes):

- a line never enters a box it does not join, nor comes nearer than :data:`MARGIN` to one;
- two lines never run along the same stretch: a grid cell a line runs through horizontally
  is closed to other horizontal runs (and so vertically), and a cell where a line turns, or
  ends, is closed to every other line. Lines may cross, at right angles;
- the lines laid before (the cycle's arcs, the emotion curves, the legend's samples) are
  crossed, never followed;
- a line leaves its tail and reaches its head at a cell just outside the box, on any side,
  each cell used by one line only, so lines meeting at a box arrive side by side.

The search is A* over (cell, direction), a bend costing more than a step, and a crossing
more still, shortest lines first; everything is in document order, so the drawing is
deterministic. A link the search cannot route (no room left) keeps its straight line.
"""

from __future__ import annotations

import heapq
import math

from usager.exporters._drawing.scene import Box, Group, Link

__all__ = ["MARGIN", "PITCH", "ROUTED", "route"]

#: The relations whose links are routed; the others are drawn as they were laid out.
ROUTED = frozenset({"holds", "addresses", "eases", "uses", "performs", "provides", "dangling", "answers"})
#: The grid's step, in points: the distance between two lines running side by side.
PITCH = 7.0
#: The room kept clear round a box, in points.
MARGIN = 3.0

_H, _V, _X = 1, 2, 4  # a cell's flags: run through horizontally, vertically, closed
_STEPS = ((1, 0), (-1, 0), (0, 1), (0, -1))  # directions: right, left, up, down
_BEND, _CROSS = 3.0, 0.5
_GREED = 1.5  # the weight of the distance still to go: a little above 1 finds a line almost as short, much sooner
_BUDGET = 200_000  # expansions per line before giving up
_RINGS, _RING_COST = 3, 4.0  # how far from a box a line may start or end, and what each ring costs


class _Grid:
    """The cells of the drawing: which box owns each, and which lines use it."""

    def __init__(self, group: Group) -> None:
        left, bottom, right, top = group.bounds()
        pad = PITCH * 4
        self.x0, self.y0 = left - pad, bottom - pad
        self.nx = math.ceil((right - left + 2 * pad) / PITCH) + 1
        self.ny = math.ceil((top - bottom + 2 * pad) / PITCH) + 1
        size = self.nx * self.ny
        self.owner = [-1] * size  # -1: free; -2: near two boxes; else the box's number
        self.flags = bytearray(size)
        self.boxes = [b for b in group.boxes if b.kind not in ("waypoint", "bend")]
        self.number = {b.key: n for n, b in enumerate(self.boxes)}
        self.extent: list[tuple[int, int, int, int]] = []
        self._around: dict[int, list[tuple[int, int, float, tuple[int, ...], int]]] = {}
        for n, box in enumerate(self.boxes):
            i0, j0, i1, j1 = self.cover(box)
            self.extent.append((i0, j0, i1, j1))
            for j in range(j0, j1 + 1):
                row = j * self.nx
                for i in range(i0, i1 + 1):
                    was = self.owner[row + i]
                    self.owner[row + i] = n if was in (-1, n) else -2

    def cover(self, box: Box) -> tuple[int, int, int, int]:
        """The cells whose centre lies within ``box`` grown by the margin (they may be an empty range)."""
        left, bottom, right, top = box.bounds()
        i0 = math.ceil((left - MARGIN - self.x0) / PITCH)
        i1 = math.floor((right + MARGIN - self.x0) / PITCH)
        j0 = math.ceil((bottom - MARGIN - self.y0) / PITCH)
        j1 = math.floor((top + MARGIN - self.y0) / PITCH)
        if i0 > i1:  # a box thinner than a cell still owns the cells its centre is nearest
            i0 = i1 = round((box.x - self.x0) / PITCH)
        if j0 > j1:
            j0 = j1 = round((box.y - self.y0) / PITCH)
        return i0, j0, i1, j1

    def centre(self, cell: int) -> tuple[float, float]:
        """The centre of ``cell``, in points."""
        j, i = divmod(cell, self.nx)
        return self.x0 + i * PITCH, self.y0 + j * PITCH

    def lay(self, a: tuple[float, float], b: tuple[float, float], ends: tuple[int, int]) -> None:
        """Mark the cells a straight line laid before runs through (outside its own ends' boxes)."""
        (ax, ay), (bx, by) = a, b
        flag = _H if abs(bx - ax) >= abs(by - ay) else _V
        reach = PITCH / 2 + 1.0
        i0 = max(0, math.floor((min(ax, bx) - reach - self.x0) / PITCH))
        i1 = min(self.nx - 1, math.ceil((max(ax, bx) + reach - self.x0) / PITCH))
        j0 = max(0, math.floor((min(ay, by) - reach - self.y0) / PITCH))
        j1 = min(self.ny - 1, math.ceil((max(ay, by) + reach - self.y0) / PITCH))
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        for j in range(j0, j1 + 1):
            for i in range(i0, i1 + 1):
                cell = j * self.nx + i
                if self.owner[cell] in ends:
                    continue
                px, py = self.x0 + i * PITCH - ax, self.y0 + j * PITCH - ay
                if length:
                    t = max(0.0, min(1.0, (px * dx + py * dy) / (length * length)))
                    distance = math.hypot(px - t * dx, py - t * dy)
                else:
                    distance = math.hypot(px, py)
                if distance <= reach:
                    self.flags[cell] |= flag

    def terminals(self, n: int) -> dict[int, tuple[int, float, tuple[int, ...]]]:
        """Where a line may leave or reach box ``n``: free cells round it, :data:`_RINGS` deep.

        Each with the direction leading away, the cost of starting there (farther rings cost
        more) and the cells its stub crosses: the straight piece from the box's centre, which
        must cross only free cells.
        """
        if n not in self._around:
            self._around[n] = self._candidates(n)
        flags = self.flags
        return {
            cell: (direction, cost, stub)
            for cell, direction, cost, stub, across in self._around[n]
            if not flags[cell] and not any(flags[c] & across for c in stub)
        }

    def _candidates(self, n: int) -> list[tuple[int, int, float, tuple[int, ...], int]]:
        """Each cell round box ``n`` a line may start at: cell, direction, cost, stub, what its stub may not cross.

        A stub may cross a line at right angles (a mostly horizontal stub, a vertical line), never
        run along one nor pass a cell where a line turns.
        """
        i0, j0, i1, j1 = self.extent[n]
        box = self.boxes[n]
        out: dict[int, tuple[int, int, float, tuple[int, ...], int]] = {}
        for r in range(1, _RINGS + 1):
            ring = [(i, j1 + r) for i in range(i0 - r, i1 + r + 1)]
            ring += [(i, j0 - r) for i in range(i0 - r, i1 + r + 1)]
            ring += [(i1 + r, j) for j in range(j0 - r + 1, j1 + r)]
            ring += [(i0 - r, j) for j in range(j0 - r + 1, j1 + r)]
            for i, j in ring:
                if not (0 <= i < self.nx and 0 <= j < self.ny):
                    continue
                cell = j * self.nx + i
                if self.owner[cell] != -1 or cell in out:
                    continue
                stub = self._stub(n, box, cell)
                if stub is None:
                    continue
                direction = 2 if j > j1 else 3 if j < j0 else 0 if i > i1 else 1
                x, y = self.centre(cell)
                across = _X | (_H if abs(x - box.x) >= abs(y - box.y) else _V)
                out[cell] = (cell, direction, _RING_COST * (r - 1), stub, across)
        return list(out.values())

    def _stub(self, n: int, box: Box, cell: int) -> tuple[int, ...] | None:
        """The free cells between box ``n`` and ``cell`` on the straight line from its centre; None if one is not free."""
        x, y = self.centre(cell)
        length = math.hypot(x - box.x, y - box.y)
        crossed: dict[int, None] = {}
        for k in range(1, math.ceil(length / (PITCH / 3))):
            t = k * (PITCH / 3) / length
            i = round((box.x + t * (x - box.x) - self.x0) / PITCH)
            j = round((box.y + t * (y - box.y) - self.y0) / PITCH)
            between = j * self.nx + i
            if between == cell or self.owner[between] == n:
                continue
            if self.owner[between] != -1:
                return None
            crossed[between] = None
        return tuple(crossed)


_Ends = dict[int, tuple[int, float, tuple[int, ...]]]


def _search(grid: _Grid, sources: _Ends, targets: _Ends, goal: tuple[int, int, int, int]) -> list[int]:
    """The cells of the cheapest line from one of ``sources`` to one of ``targets`` (empty: none).

    States are ``cell * 4 + direction``; ties go to the state nearest the goal, so that the
    search runs straight at it.
    """
    nx, ny, owner, flags = grid.nx, grid.ny, grid.owner, grid.flags
    gi0, gj0, gi1, gj1 = goal
    moves = ((1, 0, 1, _H), (-1, 0, -1, _H), (0, 1, nx, _V), (0, -1, -nx, _V))
    best: dict[int, float] = {}
    came: dict[int, int] = {}
    heap: list[tuple[float, float, int]] = []
    for cell, (direction, cost, _) in sorted(sources.items()):
        j, i = divmod(cell, nx)
        state = cell * 4 + direction
        best[state] = cost
        came[state] = -1
        guess = max(gi0 - i, 0, i - gi1) + max(gj0 - j, 0, j - gj1)
        heapq.heappush(heap, (cost + _GREED * guess, cost, state))
    budget = _BUDGET
    while heap and budget:
        budget -= 1
        _, cost, state = heapq.heappop(heap)
        if cost > best[state]:
            continue
        cell, direction = divmod(state, 4)
        if cell in targets:
            path = []
            while state != -1:
                path.append(state // 4)
                state = came[state]
            return path[::-1]
        j, i = divmod(cell, nx)
        start = came[state] == -1
        here = flags[cell]
        for turn, (di, dj, offset, axis) in enumerate(moves):
            bend = turn != direction
            if not start and (turn == direction ^ 1 or (bend and here)):
                continue  # no going back, no turn on a line
            ni, nj = i + di, j + dj
            if not (0 <= ni < nx and 0 <= nj < ny):
                continue
            near = cell + offset
            flag = flags[near]
            target = targets.get(near)
            if target is not None:
                if flag:
                    continue
            elif owner[near] != -1 or flag & (axis | _X):
                continue
            new = cost + 1.0 + (_BEND if bend and not start else 0.0) + (_CROSS if flag else 0.0)
            if target is not None:
                new += target[1]
            after = near * 4 + turn
            if new < best.get(after, math.inf):
                best[after] = new
                came[after] = state
                guess = max(gi0 - ni, 0, ni - gi1) + max(gj0 - nj, 0, nj - gj1)
                heapq.heappush(heap, (new + _GREED * guess, new, after))
    return []


def _bends(grid: _Grid, path: list[int]) -> list[int]:
    """The cells of ``path`` where it starts, turns or ends."""
    out = [path[0]]
    for a, b, c in zip(path, path[1:], path[2:], strict=False):
        if b - a != c - b:
            out.append(b)
    if len(path) > 1:
        out.append(path[-1])
    return out


def _mark(grid: _Grid, path: list[int], corners: list[int]) -> None:
    for a, b in zip(path, path[1:], strict=False):
        axis = _H if abs(b - a) == 1 else _V
        grid.flags[a] |= axis
        grid.flags[b] |= axis
    for cell in corners:
        grid.flags[cell] |= _X


def route(group: Group) -> None:
    """Route the links of ``group`` whose relation is in :data:`ROUTED` (see the module documentation)."""
    links = group.links
    todo = [k for k, link in enumerate(links) if link.relation in ROUTED and not link.fixed and link.tail != link.head]
    if not todo:
        return
    grid = _Grid(group)
    where = {b.key: b for b in group.boxes}
    for k, link in enumerate(links):
        if k in todo or link.tail not in where or link.head not in where:
            continue
        a, b = where[link.tail], where[link.head]
        ends = (grid.number.get(link.tail, -3), grid.number.get(link.head, -3))
        grid.lay((a.x, a.y), (b.x, b.y), ends)

    def length(k: int) -> tuple[float, int]:
        a, b = where.get(links[k].tail), where.get(links[k].head)
        if a is None or b is None:
            return math.inf, k
        return abs(a.x - b.x) + abs(a.y - b.y), k

    routed: dict[int, list[Link]] = {}
    for k in sorted(todo, key=length):
        link = links[k]
        tail, head = grid.number.get(link.tail), grid.number.get(link.head)
        if tail is None or head is None:
            continue
        sources, targets = grid.terminals(tail), grid.terminals(head)
        if not sources or not targets:
            continue
        i0, j0, i1, j1 = grid.extent[head]
        path = _search(grid, sources, targets, (i0 - 1, j0 - 1, i1 + 1, j1 + 1))
        if not path:
            continue
        corners = _bends(grid, path)
        _mark(grid, path, corners)
        for cell in (*sources[path[0]][2], *targets[path[-1]][2]):
            grid.flags[cell] |= _X
        chain = [link.tail]
        for m, cell in enumerate(corners):
            x, y = grid.centre(cell)
            point = Box(f"{link.tail}_{link.head}_{k}w{m}", "bend", [], w=1, h=1, x=x, y=y)
            group.boxes.append(point)
            chain.append(point.key)
        chain.append(link.head)
        pieces = [Link(a, b, link.relation, "arrowhead=none") for a, b in zip(chain, chain[1:-1], strict=False)]
        pieces.append(Link(chain[-2], chain[-1], link.relation, link.extra))
        routed[k] = pieces
    group.links = [piece for k, link in enumerate(links) for piece in routed.get(k, [link])]
